"""The one factories module of the test suite."""

import itertools

import factory
from django.core.management import call_command

from checklists.models import Catalogue
from portal.models import Organisation, Role, User
from portal.validators import corporate_number_check_digit

PASSWORD = "correct-horse-battery-9"
_bases = itertools.count(100000000001)


def make_corporate_number() -> str:
    base = f"{next(_bases):012d}"
    return f"{corporate_number_check_digit(base)}{base}"


class AggregatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.AGGREGATOR
    name = factory.Sequence(lambda n: f"テスト・アグリゲーター{n}株式会社")
    corporate_number = factory.LazyFunction(make_corporate_number)
    address = "東京都千代田区"


class RegulatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    kind = Organisation.Kind.REGULATOR
    name = "規制当局"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.jp")
    full_name = factory.Sequence(lambda n: f"利用者 {n}")
    role = Role.AGGREGATOR_STAFF
    organisation = factory.SubFactory(AggregatorFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def persist(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(role: str, organisation: Organisation | None = None) -> User:
    if role in {Role.REVIEWER, Role.REVIEW_LEAD, Role.ADMIN}:
        return UserFactory(role=role, organisation=organisation or RegulatorFactory())
    return UserFactory(role=role, organisation=organisation or AggregatorFactory())


def load_catalogue() -> Catalogue:
    call_command("loaddata", "catalogue", verbosity=0)
    return Catalogue.objects.get(version="2026.1")
