import pytest

from reciprocity.practice.models import Role
from reciprocity.sharing import services
from tests.builders import make_user


@pytest.fixture
def kim(north):
    return make_user("kim", practice=north, role=Role.SUPERVISOR, full_name="Kim Adler")


@pytest.fixture
def active(ana, kim):
    """Ana's supervision by Kim, accepted."""
    return services.accept(services.invite(ana, kim), kim)
