import pytest

from tests.support.feed_series import NOW, build_series


@pytest.fixture
def series(db, time_machine):
    """The feed series (tests/support/feed_series.py), with the clock stopped at NOW."""
    time_machine.move_to(NOW, tick=False)
    return build_series()
