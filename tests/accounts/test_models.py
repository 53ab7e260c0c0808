import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import AuditEvent, Organisation, Role, User
from tests.factories import AggregatorFactory, RegulatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_aggregator_with_invalid_corporate_number_is_rejected_in_japanese():
    organisation = Organisation(
        kind="aggregator", name="誤り株式会社", corporate_number="1234567890123"
    )
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "法人番号" in str(error.value)
    assert not Organisation.objects.filter(name="誤り株式会社").exists()


def test_aggregator_without_corporate_number_is_rejected():
    with pytest.raises(ValidationError):
        Organisation(kind="aggregator", name="番号なし株式会社").full_clean()


def test_unknown_role_is_refused_by_validation_and_by_the_database():
    user = UserFactory.build(role="superhero", organisation=RegulatorFactory.create())
    with pytest.raises(ValidationError):
        user.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=UserFactory.create().pk).update(role="superhero")


def test_aggregator_roles_must_belong_to_an_aggregator():
    user = UserFactory.build(role=Role.AGGREGATOR_STAFF, organisation=RegulatorFactory.create())
    with pytest.raises(ValidationError) as error:
        user.full_clean(exclude=["password"])
    assert "organisation" in error.value.message_dict


def test_regulator_roles_cannot_belong_to_an_aggregator():
    user = UserFactory.build(role=Role.REVIEWER, organisation=AggregatorFactory.create())
    with pytest.raises(ValidationError):
        user.full_clean(exclude=["password"])


def test_admin_site_access_follows_the_role():
    assert UserFactory.create(role=Role.ADMIN, organisation=RegulatorFactory.create()).is_staff
    assert not UserFactory.create(
        role=Role.REVIEW_LEAD, organisation=RegulatorFactory.create()
    ).is_staff


def test_email_login_is_case_insensitive_on_creation():
    user = User.objects.create_user("Someone@Example.JP", "x" * 16, full_name="某", role="admin")
    assert user.email == "someone@example.jp"


def test_audit_events_are_append_only():
    event = AuditEvent.objects.record(
        actor=None, action=AuditEvent.Action.ADMIN_CHANGE, summary="x"
    )
    event.summary = "changed"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == "x"
