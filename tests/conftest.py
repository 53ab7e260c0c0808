import pytest

from portal.models import Role
from tests.factories import AggregatorFactory, load_catalogue, user_with_role


@pytest.fixture
def catalogue(db):
    return load_catalogue()


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
