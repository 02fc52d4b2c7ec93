import pytest

from tests.support.sample_series import make_sample_series


@pytest.fixture
def series(request):
    """The sample series (tests/support/sample_series.py). A module that never looks at the
    images sets SAMPLE_IMAGES = False: the series is then built without them, faster."""
    return make_sample_series(images=getattr(request.module, "SAMPLE_IMAGES", True))
