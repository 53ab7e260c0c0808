from django.db import migrations, models


def mark_lower_coverage(apps, schema_editor):
    # The source's red/blue split is lost: over-asking is the safe side, so every criterion item
    # except the lower-level requirement itself must be covered, unverified until an admin checks.
    Item = apps.get_model("checklists", "Item")
    Item.objects.filter(is_criterion=True, lower_aggregator_requirement=False).update(
        lower_coverage_required=True
    )


class Migration(migrations.Migration):
    dependencies = [("checklists", "0001_guideline_catalogue")]

    operations = [
        migrations.RenameField("item", "required", "is_criterion"),
        migrations.AlterField(
            model_name="item",
            name="is_criterion",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Unmet criterion items make a filing a change-order candidate. Items that are "
                    "not criteria are reference items: never grounds for a change order."
                ),
                verbose_name="filing criterion (recommended item of the criterion document)",
            ),
        ),
        migrations.RemoveField("item", "in_seed"),
        migrations.AddField(
            model_name="item",
            name="lower_coverage_required",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "The requirements a top-level aggregator imposes on lower-level aggregators "
                    "must include an equivalent of this item."
                ),
                verbose_name="lower-level aggregators' requirements must cover it",
            ),
        ),
        migrations.AddField(
            model_name="item",
            name="lower_coverage_verification",
            field=models.CharField(
                choices=[
                    ("verified", "Verified (primary source)"),
                    ("secondary", "Secondary source"),
                    ("inferred", "Inferred, unverified"),
                    ("unverified", "Unverified"),
                ],
                default="unverified",
                max_length=20,
                verbose_name="verification of the coverage attribution",
            ),
        ),
        migrations.RunPython(mark_lower_coverage, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="item",
            constraint=models.CheckConstraint(
                condition=models.Q(lower_coverage_required=False)
                | models.Q(is_criterion=True, lower_aggregator_requirement=False),
                name="item_lower_coverage_only_criteria",
            ),
        ),
    ]
