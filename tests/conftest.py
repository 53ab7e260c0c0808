import pytest

from checklists.models import Catalogue
from portal.models import Role
from tests.factories import AggregatorFactory, load_catalogue, user_with_role


def pytest_collection_modifyitems(items):
    # Browser tests flush the database when they end; run them last so the catalogue loaded once
    # per session (below) serves every other test.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_catalogue()


@pytest.fixture
def catalogue(db):
    return Catalogue.objects.filter(version="2026.1").first() or load_catalogue()


@pytest.fixture
def company(db):
    return AggregatorFactory()


@pytest.fixture
def other_company(db):
    return AggregatorFactory()


@pytest.fixture
def users(db, company):
    """One user per role; aggregator roles belong to ``company``."""
    return {
        role: user_with_role(role, company if role.startswith("aggregator") else None)
        for role in Role.values
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's deliberate slowness would dominate the suite; production keeps the default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
