"""Glossary words as stored values, the statutory acceptance date, incident facts and determination.

Stored choice values are renamed in place so that every existing row keeps its meaning. The 30-day
period becomes a date counted from the acceptance date (初日不算入), which defaults to the JST date
of receipt.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models

RENAMES = {
    ("Flag", "kind"): {"inquiry": "inquiry_candidate", "advisory": "reference"},
    ("Flag", "decision"): {"confirm": "uphold", "dismiss": "withdraw"},
    ("Review", "determination"): {
        "accepted": "no_order",
        "change_order_considered": "order_procedure",
    },
    ("Report", "kind"): {"review_report": "review_record"},
}


def rename_values(apps, schema_editor, reverse=False):
    for (model_name, field), mapping in RENAMES.items():
        model = apps.get_model("reviews", model_name)
        for old, new in mapping.items():
            if reverse:
                old, new = new, old
            model.objects.filter(**{field: old}).update(**{field: new})


def unrename_values(apps, schema_editor):
    rename_values(apps, schema_editor, reverse=True)


def fill_dates(apps, schema_editor):
    tokyo = ZoneInfo(settings.TIME_ZONE)
    Review = apps.get_model("reviews", "Review")
    for review in Review.objects.all():
        review.accepted_on = review.received_at.astimezone(tokyo).date()
        review.deadline = review.accepted_on + timedelta(days=settings.FILING_START_NOTICE_DAYS)
        review.save(update_fields=["accepted_on", "deadline"])
    IncidentReport = apps.get_model("reviews", "IncidentReport")
    IncidentReport.objects.filter(detected_at__isnull=True).update(
        detected_at=models.F("occurred_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_signed_reports"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="flag", name="flag_dismissal_has_reason"),
        migrations.RunPython(rename_values, unrename_values),
        # Review: acceptance date and the 30-day period as dates
        migrations.AddField(
            model_name="review",
            name="accepted_on",
            field=models.DateField(null=True, verbose_name="acceptance date"),
        ),
        migrations.RemoveField(model_name="review", name="deadline"),
        migrations.AddField(
            model_name="review",
            name="deadline",
            field=models.DateField(null=True, verbose_name="last day of the 30-day period"),
        ),
        # Incident facts
        migrations.AddField(
            model_name="incidentreport",
            name="detected_at",
            field=models.DateTimeField(null=True, verbose_name="when it was detected"),
        ),
        migrations.RunPython(fill_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="review",
            name="accepted_on",
            field=models.DateField(
                help_text="Recorded by the regulator; defaults to the date of receipt.",
                verbose_name="acceptance date",
            ),
        ),
        migrations.AlterField(
            model_name="review",
            name="deadline",
            field=models.DateField(verbose_name="last day of the 30-day period"),
        ),
        migrations.AlterField(
            model_name="incidentreport",
            name="detected_at",
            field=models.DateTimeField(verbose_name="when it was detected"),
        ),
        migrations.AddField(
            model_name="incidentreport",
            name="contained_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="when it was contained"),
        ),
        migrations.AddField(
            model_name="incidentreport",
            name="location",
            field=models.CharField(
                choices=[("own", "Own systems"), ("lower", "A lower-level aggregator")],
                default="own",
                max_length=20,
                verbose_name="where it occurred",
            ),
        ),
        migrations.AddField(
            model_name="incidentreport",
            name="lower_aggregator_name",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="lower-level aggregator concerned"
            ),
        ),
        migrations.AddField(
            model_name="incidentreport",
            name="capacity_affected_kw",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="capacity affected (kW)"
            ),
        ),
        migrations.AddField(
            model_name="incidentreport",
            name="notified_parties",
            field=models.TextField(blank=True, max_length=2000, verbose_name="whom you notified"),
        ),
        migrations.AddField(
            model_name="incidentreport",
            name="determination",
            field=models.CharField(
                blank=True,
                choices=[
                    ("no_order", "No business-improvement order needed"),
                    ("order_procedure", "Proceed to the business-improvement-order procedure"),
                ],
                max_length=30,
                verbose_name="determination",
            ),
        ),
        migrations.AddField(
            model_name="incidentreport",
            name="determination_reason",
            field=models.TextField(blank=True, verbose_name="reasons"),
        ),
        migrations.AddField(
            model_name="incidentreport",
            name="determined_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="incidentreport",
            name="determined_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="determined at"),
        ),
        migrations.AddField(
            model_name="flag",
            name="no_order_reason",
            field=models.TextField(
                blank=True, verbose_name="reason for no order despite the upheld candidate"
            ),
        ),
        migrations.AddConstraint(
            model_name="flag",
            constraint=models.CheckConstraint(
                condition=~models.Q(decision="withdraw") | ~models.Q(decision_reason=""),
                name="flag_withdrawal_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="flag",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    kind__in=["change_order", "improvement_order", "inquiry_candidate", "reference"]
                ),
                name="flag_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="incidentreport",
            constraint=models.CheckConstraint(
                condition=models.Q(location="own", lower_aggregator_name="")
                | models.Q(location="lower") & ~models.Q(lower_aggregator_name=""),
                name="incident_lower_location_named",
            ),
        ),
        migrations.AddConstraint(
            model_name="incidentreport",
            constraint=models.CheckConstraint(
                condition=models.Q(determination="")
                | models.Q(determination__in=["no_order", "order_procedure"])
                & ~models.Q(determination_reason=""),
                name="incident_determination_has_reason",
            ),
        ),
        migrations.AlterModelOptions(
            name="incidentreport",
            options={
                "ordering": ["-reported_at", "-id"],
                "verbose_name": "security incident report",
                "verbose_name_plural": "security incident reports",
            },
        ),
        migrations.AlterField(
            model_name="flag",
            name="decision",
            field=models.CharField(
                blank=True,
                choices=[("uphold", "Uphold"), ("withdraw", "Withdraw"), ("inquire", "Inquire")],
                max_length=20,
                verbose_name="decision",
            ),
        ),
        migrations.AlterField(
            model_name="flag",
            name="kind",
            field=models.CharField(
                choices=[
                    ("change_order", "Change-order candidate"),
                    ("improvement_order", "Business-improvement-order candidate"),
                    ("inquiry_candidate", "Inquiry candidate"),
                    ("reference", "Reference finding"),
                ],
                max_length=30,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="kind",
            field=models.CharField(
                choices=[
                    ("filing_report", "Filing report"),
                    ("review_record", "Review record"),
                    ("determination_notice", "Determination notice"),
                    ("evidence_package", "Evidence package"),
                ],
                max_length=30,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="review",
            name="determination",
            field=models.CharField(
                blank=True,
                choices=[
                    ("no_order", "No order needed (review closed)"),
                    ("order_procedure", "Proceed to the order procedure"),
                ],
                max_length=30,
                verbose_name="determination",
            ),
        ),
    ]
