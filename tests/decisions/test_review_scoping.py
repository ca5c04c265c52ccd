"""Review _r1: the step correction page reads its step through the jurisdiction selector."""

import pytest
from django.urls import reverse

from decisions.models import StepKind
from decisions.selectors import steps_visible_to

pytestmark = pytest.mark.django_db


def correct_url(matter, slug):
    return reverse("decisions:step_correct", kwargs={"public_id": matter.public_id, "step": slug})


def test_an_outsider_gets_404_on_the_step_correction_page(staff_client, outsider_client, matter_at):
    matter = matter_at(StepKind.PROPOSE)
    assert staff_client.get(correct_url(matter, "propose")).status_code == 200
    assert outsider_client.get(correct_url(matter, "propose")).status_code == 404
    assert outsider_client.post(correct_url(matter, "propose"), {"reason": "x"}).status_code == 404


def test_steps_visible_to_follows_the_jurisdiction(staff, outsider, official, matter_at):
    matter = matter_at(StepKind.PROPOSE)
    assert list(steps_visible_to(staff).values_list("matter", flat=True)) == [matter.pk]
    assert list(steps_visible_to(official).values_list("matter", flat=True)) == [matter.pk]
    assert not steps_visible_to(outsider).exists()
