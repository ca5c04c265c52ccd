import pytest

from decisions.models import StepKind
from tests.decisions.factories import MatterFactory, advance


@pytest.fixture
def matter(village, staff):
    """A new 三必议 matter of ``village`` (in ``staff``'s township), waiting for its proposal."""
    return MatterFactory(village=village, created_by=staff)


@pytest.fixture
def matter_at(village, staff):
    """``matter_at(StepKind.REVIEW)``: a matter of ``village`` whose steps through REVIEW are recorded."""

    def make(step: StepKind | None, **kwargs):
        matter = MatterFactory(village=kwargs.pop("village", village), created_by=staff, **kwargs)
        return advance(matter, user=staff, through=step) if step else matter

    return make


@pytest.fixture
def resolved(matter_at):
    return matter_at(StepKind.RESOLVE)
