import pytest

from helpers import SHORT


@pytest.fixture
def short_overrides():
    return dict(SHORT)
