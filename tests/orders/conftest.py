import pytest

from accounts.models import Role
from tests.factories import issuing_authority, make_order_case


@pytest.fixture
def reviewer(users):
    return users[Role.REVIEWER]


@pytest.fixture
def lead(users):
    return users[Role.REVIEW_LEAD]


@pytest.fixture
def authority(db):
    return issuing_authority()


@pytest.fixture
def case(catalogue, officer, reviewer, lead, authority):
    return make_order_case(officer, reviewer, lead)
