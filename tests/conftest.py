import pytest
from django.utils import translation

from accounts.models import Role
from checklists.models import Catalogue
from tests.factories import AggregatorFactory, load_catalogue, user_with_role


def _flushes_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


def pytest_collection_modifyitems(items):
    # Transactional tests (browser tests among them) flush the database when they end; run them
    # last so the catalogue loaded once per session (below) serves every other test.
    items.sort(key=_flushes_database)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_catalogue()


@pytest.fixture
def catalogue(db):
    return Catalogue.objects.filter(version="2026.1").first() or load_catalogue()


@pytest.fixture
def company(db):
    return AggregatorFactory.create()


@pytest.fixture
def other_company(db):
    return AggregatorFactory.create()


@pytest.fixture
def staff(users):
    return users[Role.AGGREGATOR_STAFF]


@pytest.fixture
def officer(users):
    return users[Role.AGGREGATOR_OFFICER]


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


@pytest.fixture(scope="session")
def signing_pair(tmp_path_factory):
    from reports.signing import create_certificate

    directory = tmp_path_factory.mktemp("signing")
    create_certificate(directory, common_name="Portal test signing")
    return directory


@pytest.fixture(autouse=True)
def report_signing(settings, signing_pair, tmp_path):
    settings.REPORT_SIGNING_KEY = signing_pair / "key.pem"
    settings.REPORT_SIGNING_CERT = signing_pair / "cert.pem"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    settings.AUDIT_ANCHOR_DIR = tmp_path / "audit-anchors"


@pytest.fixture(autouse=True)
def _language_reset():
    """A request with Accept-Language leaves its language active in the thread (LocaleMiddleware
    does not switch back); each test starts in the default language instead."""
    yield
    translation.deactivate()
