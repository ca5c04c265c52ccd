"""The issue's "done when" for first secretaries, in a real browser: a township clerk records a first
secretary from another township (found through the county-wide picker, confirming nothing twice)
and sees them on the village page and on the county list."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cadres.forms import person_choice_label
from cadres.models import Stationing
from tests.cadres.factories import PersonFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]


def test_a_township_clerk_records_a_first_secretary_and_sees_them_on_the_village_page(
    log_in, staff, village, other_village, csp_violations
):
    outsider = PersonFactory(home_village=other_village, name="驻村测试书记")
    today = timezone.localdate()

    page = log_in("staff")
    page.goto("/cadres/first-secretaries/")
    expect(page.locator("#first-secretary-counts")).to_have_text("有 0 村，无 1 村")
    page.get_by_role("link", name="登记驻村第一书记").click()
    page.get_by_label("村（社区）").select_option(village.code)
    picker = page.get_by_role("combobox", name="第一书记")
    picker.press_sequentially(outsider.name)  # a person of another township: the picker searches the county
    page.get_by_role("listbox", name="第一书记").get_by_role(
        "option", name=person_choice_label(outsider)
    ).click()
    page.get_by_label("派出单位").fill("县委组织部")
    page.get_by_label("驻村日期").fill(today.isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text(f"已登记驻村第一书记：{village.name} {outsider.name}。")).to_be_visible()

    stationing = Stationing.objects.get()
    assert (stationing.person, stationing.village, stationing.start_date) == (outsider, village, today)

    page.get_by_role("link", name=village.name).click()
    first_secretary = page.locator("#first-secretary")
    expect(first_secretary).to_contain_text(outsider.name)
    expect(first_secretary).to_contain_text("县委组织部")
    expect(first_secretary).to_contain_text(f"{today.isoformat()}起")
    page.goto("/cadres/first-secretaries/")
    expect(page.locator("#first-secretary-counts")).to_have_text("有 1 村，无 0 村")
    assert csp_violations == []
