"""The branch register's pages: recording, bad input kept on the form, scoping of a joint branch
across two townships, list filters and exports, the county summary and the village page."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from branches import rules, services
from branches.creditcodes import WRONG_CHECK
from branches.models import BranchEnterprise, BranchVillage, Enterprise
from tests.factories import PUBLISHED_CREDIT_CODES, EnterpriseFactory, PartyBranchFactory
from villages.models import PartyBranch

pytestmark = pytest.mark.django_db

CREATE = "/branches/new/"


def _seasonal(**changes):
    data = {
        "name": "姑咱示例虫草山流动党支部",
        "kind": "seasonal_mobile",
        "village": "",
        "start_date": "2024-04-01",
        "season_start_month": "5",
        "season_end_month": "7",
    }
    return {**data, **changes}


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


# ---------------------------------------------------------------- recording


def test_a_clerk_records_a_seasonal_branch(staff_client, township, village):
    response = staff_client.post(CREATE, _seasonal(village=village.code))
    branch = PartyBranch.objects.get(name="姑咱示例虫草山流动党支部")
    assert response.status_code == 302 and response["Location"] == f"/branches/{branch.public_id}/"
    assert (branch.township, branch.village, branch.season_start_month, branch.season_end_month) == (
        township,
        village,
        5,
        7,
    )
    page = staff_client.get(response["Location"]).content.decode()
    assert "5月至7月" in page
    assert branch.history.get().history_user.username == "staff"  # attributed


def test_a_season_that_ends_before_it_starts_is_refused_with_the_values_kept(staff_client):
    response = staff_client.post(CREATE, _seasonal(season_start_month="7", season_end_month="5"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "活动结束月份早于起始月份：如活动季节跨年，请勾选“跨年”。" in page  # on the field
    assert 'value="姑咱示例虫草山流动党支部"' in page
    assert '<option value="7" selected>' in page
    assert not PartyBranch.objects.filter(name="姑咱示例虫草山流动党支部").exists()


def test_a_season_crossing_the_year_end_is_recorded_when_said(staff_client):
    data = _seasonal(
        name="姑咱示例农民工服务管理党支部",
        kind="migrant_worker",
        season_start_month="12",
        season_end_month="2",
        season_crosses_year="on",
    )
    assert staff_client.post(CREATE, data).status_code == 302
    branch = PartyBranch.objects.get(name="姑咱示例农民工服务管理党支部")
    assert branch.season_crosses_year and rules.active_on(branch, dt.date(2026, 1, 15))


def test_a_joint_branch_with_a_new_enterprise_is_recorded_in_one_step(staff_client, village):
    data = {
        "name": "姑咱示例村企联建党支部",
        "kind": "joint_village_enterprise",
        "villages": [village.code],
        "new_enterprise_name": "姑咱示例农牧有限公司",
        "new_enterprise_code": PUBLISHED_CREDIT_CODES[0].lower(),
    }
    assert staff_client.post(CREATE, data).status_code == 302
    branch = PartyBranch.objects.get(name="姑咱示例村企联建党支部")
    enterprise = Enterprise.objects.get(credit_code=PUBLISHED_CREDIT_CODES[0])
    assert list(BranchEnterprise.objects.filter(branch=branch).values_list("enterprise", flat=True)) == [
        enterprise.pk
    ]
    assert list(BranchVillage.objects.filter(branch=branch).values_list("village", flat=True)) == [village.pk]


def test_an_invalid_credit_code_is_refused_with_the_message_and_nothing_saved(staff_client, village):
    changed = PUBLISHED_CREDIT_CODES[0][:-1] + "4"  # one character changed
    data = {
        "name": "姑咱示例村企联建党支部",
        "kind": "joint_village_enterprise",
        "villages": [village.code],
        "new_enterprise_name": "姑咱示例农牧有限公司",
        "new_enterprise_code": changed,
    }
    response = staff_client.post(CREATE, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert str(WRONG_CHECK) in page
    assert f'value="{changed}"' in page and 'value="姑咱示例农牧有限公司"' in page
    assert not PartyBranch.objects.filter(name="姑咱示例村企联建党支部").exists()
    assert not Enterprise.objects.exists()


def test_a_refused_branch_does_not_keep_the_enterprise_registered_with_it(staff_client, village):
    data = {  # a village-enterprise branch without a village: refused by the service
        "name": "姑咱示例村企联建党支部",
        "kind": "joint_village_enterprise",
        "new_enterprise_name": "姑咱示例农牧有限公司",
        "new_enterprise_code": PUBLISHED_CREDIT_CODES[0],
    }
    response = staff_client.post(CREATE, data)
    assert response.status_code == 400
    assert str(services.VILLAGE_ENTERPRISE_NEEDS_BOTH) in response.content.decode()
    assert not Enterprise.objects.exists() and not PartyBranch.objects.exclude(kind="village").exists()


def test_the_enterprise_page_refuses_a_changed_code(staff_client):
    response = staff_client.post(
        "/branches/enterprises/new/", {"name": "某企业", "credit_code": "91350100M000100Y42"}
    )
    assert response.status_code == 400 and str(WRONG_CHECK) in response.content.decode()
    assert not Enterprise.objects.exists()


def test_a_village_village_branch_needs_two_villages_one_of_its_own(staff_client, village, other_village):
    data = {"name": "联建", "kind": "joint_village_village", "villages": [other_village.code]}
    response = staff_client.post(CREATE, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert str(services.VILLAGE_VILLAGE_NEEDS_TWO) in page and str(services.NONE_OF_OWN_VILLAGES) in page


def test_editing_keeps_the_version_and_ending_confirms_first(staff_client, township):
    branch = PartyBranchFactory(township=township, kind="youth_talent", name="青年人才党支部")
    edit = reverse("branches:branch_edit", args=[branch.public_id])
    assert 'name="version" value="1"' in staff_client.get(edit).content.decode()
    assert staff_client.post(edit, {"name": "姑咱青年人才党支部", "version": 1}).status_code == 302
    end = reverse("branches:branch_end", args=[branch.public_id])
    asked = staff_client.post(end, {"end_date": "2026-01-31", "version": 2})
    assert asked.status_code == 200 and "确认办理" in asked.content.decode()
    branch.refresh_from_db()
    assert branch.end_date is None  # only asked
    done = staff_client.post(end, {"end_date": "2026-01-31", "version": 2, "confirmed": "1"})
    assert done.status_code == 302
    branch.refresh_from_db()
    assert branch.end_date == dt.date(2026, 1, 31) and branch.name == "姑咱青年人才党支部"


# ---------------------------------------------------------------- scoping


def test_both_townships_read_a_joint_branch_and_a_third_gets_404(
    joint_branch, staff_client, outsider_client, third_client, official_client
):
    detail = reverse("branches:branch_detail", args=[joint_branch.public_id])
    for client in (staff_client, outsider_client, official_client):
        assert client.get(detail).status_code == 200
        assert joint_branch.name in client.get("/branches/").content.decode()
    assert third_client.get(detail).status_code == 404
    assert joint_branch.name not in third_client.get("/branches/").content.decode()


def test_only_the_owner_township_writes_a_joint_branch(
    joint_branch, staff_client, outsider_client, third_client, official_client
):
    edit = reverse("branches:branch_edit", args=[joint_branch.public_id])
    end = reverse("branches:branch_end", args=[joint_branch.public_id])
    assert staff_client.get(edit).status_code == 200
    assert outsider_client.get(edit).status_code == 403  # reads it, does not own it
    assert outsider_client.post(edit, {"name": "改名", "version": 1}).status_code == 403
    assert (
        outsider_client.post(end, {"end_date": "2026-01-01", "version": 1, "confirmed": "1"}).status_code
        == 403
    )
    assert official_client.get(edit).status_code == 403
    assert third_client.get(edit).status_code == 404
    joint_branch.refresh_from_db()
    assert joint_branch.name == "姑咱—新都桥联建党支部" and joint_branch.end_date is None


def test_read_only_roles_get_403_and_wrong_methods_405(official_client, admin_client_, staff_client):
    assert official_client.get(CREATE).status_code == 403
    assert admin_client_.post(CREATE, _seasonal()).status_code == 403
    assert official_client.get("/branches/enterprises/new/").status_code == 403
    assert staff_client.post("/branches/").status_code == 405
    assert staff_client.post("/branches/summary/").status_code == 405
    assert not PartyBranch.objects.exclude(kind="village").exists()


def test_the_other_townships_village_page_lists_the_joint_branch(
    joint_branch, other_village, outsider_client
):
    page = outsider_client.get(reverse("villages:village_detail", args=[other_village.code])).content.decode()
    assert "所属党组织" in page and joint_branch.name in page
    assert other_village.branches.get().name in page  # and its own branch


def test_the_village_page_lists_functional_branches_based_in_it(staff_client, village, township):
    based = PartyBranchFactory(
        township=township, village=village, kind="youth_talent", name="驻村青年人才党支部"
    )
    elsewhere = PartyBranchFactory(township=township, kind="youth_talent", name="别处青年人才党支部")
    page = staff_client.get(reverse("villages:village_detail", args=[village.code])).content.decode()
    assert based.name in page and elsewhere.name not in page


# ---------------------------------------------------------------- list, exports, summary


@pytest.fixture
def register(township, other_township, village):
    seasonal = PartyBranchFactory(
        township=township,
        kind="seasonal_mobile",
        name="甲虫草山流动党支部",
        season_start_month=5,
        season_end_month=7,
    )
    youth = PartyBranchFactory(township=township, kind="youth_talent", name="乙青年人才党支部")
    other = PartyBranchFactory(
        township=other_township,
        kind="seasonal_mobile",
        name="丙虫草山流动党支部",
        season_start_month=6,
        season_end_month=8,
    )
    return {"seasonal": seasonal, "youth": youth, "other": other, "village": village.branches.get()}


def _names(response) -> set[str]:
    return {row[0] for row in _csv_rows(response)[1:]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=seasonal_mobile", {"甲虫草山流动党支部", "丙虫草山流动党支部"}),
        ("township=513301102000", {"丙虫草山流动党支部"}),
        ("active_in=2026-05", {"甲虫草山流动党支部", "乙青年人才党支部", "姑咱示例01村党支部"}),
        ("active_in=2026-08", {"丙虫草山流动党支部", "乙青年人才党支部", "姑咱示例01村党支部"}),
        ("active_in=2026-04&kind=seasonal_mobile", set()),
        ("q=青年", {"乙青年人才党支部"}),
        ("q=姑咱示例01", {"姑咱示例01村党支部"}),
    ],
)
def test_the_export_carries_the_lists_filters(official_client, register, query, expected):
    response = official_client.get(f"/branches/?{query}&export=csv")
    assert response.status_code == 200
    assert _names(response) == expected
    xlsx = official_client.get(f"/branches/?{query}&export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_list_shows_the_same_rows_as_the_export(official_client, register):
    page = official_client.get("/branches/?kind=seasonal_mobile").content.decode()
    assert "甲虫草山流动党支部" in page and "丙虫草山流动党支部" in page and "乙青年人才党支部" not in page
    assert "kind=seasonal_mobile&amp;export=csv" in page


def test_a_bad_month_is_the_filters_error_not_a_crash(official_client, register):
    for value in ("2026-13", "2026-5", "１２３４-05", "1999-01"):
        response = official_client.get(f"/branches/?active_in={value}")
        assert response.status_code == 200
        assert "筛选条件有误" in response.content.decode()


def test_the_lacks_committee_filter_uses_the_derived_rules(official_client, register):
    # Village branches without members or posts: no secretary-only breach, but no supervision
    # committee; committee_ok is True for a branch of fewer than 7 members without extra posts.
    ok = _names(official_client.get("/branches/?lacks_committee=false&export=csv"))
    flagged = _names(official_client.get("/branches/?lacks_committee=true&export=csv"))
    assert ok | flagged == {
        "甲虫草山流动党支部",
        "乙青年人才党支部",
        "丙虫草山流动党支部",
        "姑咱示例01村党支部",
    }
    assert not ok & flagged


def test_the_old_address_redirects_with_its_filters(staff_client):
    response = staff_client.get("/villages/branches/?kind=youth_talent&export=csv")
    assert response.status_code == 301
    assert response["Location"] == "/branches/?kind=youth_talent&export=csv"


def test_the_summary_counts_branches_by_kind_per_township_and_links_each_figure(official_client, register):
    page = official_client.get("/branches/summary/").content.decode()
    # 姑咱镇: one village branch, one seasonal, one youth-talent; 新都桥镇: one seasonal.
    assert '?township=513301101000&amp;kind=seasonal_mobile&amp;status=current">1</a>' in page
    assert '?township=513301101000&amp;kind=youth_talent&amp;status=current">1</a>' in page
    assert '?township=513301101000&amp;kind=village&amp;status=current">1</a>' in page
    assert '?township=513301101000&amp;status=current">3</a>' in page
    assert '?township=513301102000&amp;kind=seasonal_mobile&amp;status=current">1</a>' in page
    assert '?kind=seasonal_mobile&amp;status=current">2</a>' in page  # county total


def test_the_summary_figure_leads_to_the_same_rows(official_client, register):
    rows = _names(
        official_client.get("/branches/?township=513301101000&kind=seasonal_mobile&status=current&export=csv")
    )
    assert rows == {"甲虫草山流动党支部"}


def test_an_ended_branch_leaves_the_current_counts(official_client, register):
    register["youth"].end_date = dt.date(2020, 1, 1)
    register["youth"].save()
    assert _names(official_client.get("/branches/?status=ended&export=csv")) == {"乙青年人才党支部"}
    page = official_client.get("/branches/summary/").content.decode()
    assert '?township=513301101000&amp;status=current">2</a>' in page


def test_enterprises_of_another_township_are_not_offered(staff_client, other_township):
    EnterpriseFactory(township=other_township, name="新都桥某企业")
    assert "新都桥某企业" not in staff_client.get(CREATE).content.decode()
