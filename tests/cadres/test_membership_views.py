"""Member pages: list and exports, joining, transfer and leaving with confirmation, duty posts,
scoping (404 for other townships), forms that keep values and answer 400, flags on the roster and
village page, and query bounds at two sizes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cadres import membership as ms
from cadres.models import Committee, DutyAssignment, DutyKind, JoinKind, Membership, Position
from tests.cadres.factories import PersonFactory, PostFactory
from tests.factories import VillageFactory
from villages.models import PartyBranch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _duty_kinds(db):
    """The kinds the migration seeds (a browser test's emptied tables lose them)."""
    ms.ensure_default_duty_kinds()


D = dt.date
JOINED = D(2020, 1, 1)


def branch_of(village) -> PartyBranch:
    return PartyBranch.objects.get(village=village, kind="village")


def member(village, *, name=None, joined=JOINED, full=True) -> Membership:
    person = PersonFactory(home_village=village, **({"name": name} if name else {}))
    return Membership.objects.create(
        person=person,
        branch=branch_of(village),
        joined_on=joined,
        joined_how=JoinKind.REGISTERED,
        full_since=joined if full else None,
    )


def test_the_member_list_shows_the_township_s_members_and_exports_them(
    staff_client, official_client, village, other_village
):
    member(village, name="本乡党员")
    member(other_village, name="外乡党员")
    page = staff_client.get(reverse("cadres:member_list")).content.decode()
    assert "本乡党员" in page and "外乡党员" not in page
    county = official_client.get(reverse("cadres:member_list")).content.decode()
    assert "本乡党员" in county and "外乡党员" in county
    export = staff_client.get(reverse("cadres:member_list"), {"export": "csv"})
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "本乡党员" in body and "外乡党员" not in body


def test_the_member_list_filters_by_status_and_branch(staff_client, village):
    member(village, name="正式甲")
    member(village, name="预备乙", full=False)
    full = staff_client.get(reverse("cadres:member_list"), {"status": "full"}).content.decode()
    assert "正式甲" in full and "预备乙" not in full
    probationary = staff_client.get(
        reverse("cadres:member_list"), {"status": "probationary"}
    ).content.decode()
    assert "预备乙" in probationary and "正式甲" not in probationary
    other = VillageFactory(township=village.township, code="513301101202")
    member(other, name="邻村丙")
    by_branch = staff_client.get(
        reverse("cadres:member_list"), {"branch": str(branch_of(other).public_id)}
    ).content.decode()
    assert "邻村丙" in by_branch and "正式甲" not in by_branch


def test_registering_keeps_values_and_answers_400_on_a_rule(staff_client, village):
    existing = member(village, name="已在册")
    url = reverse("cadres:member_register", args=[branch_of(village).public_id])
    data = {
        "person": existing.person.public_id,
        "joined_how": "registered",
        "joined_on": "2026-02-01",
        "full_since": "2010-07-01",
        "note": "备注保留",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "已是" in page and "备注保留" in page and "2010-07-01" in page
    assert Membership.objects.count() == 1
    newcomer = PersonFactory(home_village=village, name="新党员")
    response = staff_client.post(url, {**data, "person": newcomer.public_id})
    assert response.status_code == 302
    assert Membership.objects.get(person=newcomer).full_since == D(2010, 7, 1)


def test_other_townships_get_404_on_member_pages(outsider_client, village):
    m = member(village)
    for url in (
        reverse("cadres:member_register", args=[branch_of(village).public_id]),
        reverse("cadres:member_transfer", args=[m.public_id]),
        reverse("cadres:member_leave", args=[m.public_id]),
        reverse("cadres:member_duty", args=[m.public_id]),
    ):
        assert outsider_client.get(url).status_code == 404, url
        assert outsider_client.post(url, {}).status_code == 404, url


def test_a_county_official_may_not_record_members(official_client, village):
    m = member(village)
    assert official_client.get(reverse("cadres:member_transfer", args=[m.public_id])).status_code == 403


def test_a_transfer_is_confirmed_first_then_recorded(staff_client, village, other_village):
    m = member(village, name="转接人")
    url = reverse("cadres:member_transfer", args=[m.public_id])
    data = {"to_branch": branch_of(other_village).public_id, "on": "2026-03-01", "note": ""}
    confirm = staff_client.post(url, data)
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "转接人自2026-03-01起从姑咱示例01村党支部转出，同日转入新都桥示例01村党支部。" in text
    assert Membership.objects.count() == 1  # nothing kept by the dry run
    response = staff_client.post(url, {**data, "confirmed": "1"})
    assert response.status_code == 302
    assert ms.branch_member_counts(
        [branch_of(village).pk, branch_of(other_village).pk], on=D(2026, 3, 1)
    ) == {
        branch_of(village).pk: (0, 0),
        branch_of(other_village).pk: (1, 0),
    }


def test_a_transfer_before_joining_is_refused_on_the_form(staff_client, village, other_village):
    m = member(village, joined=D(2024, 5, 10))
    url = reverse("cadres:member_transfer", args=[m.public_id])
    data = {"to_branch": branch_of(other_village).public_id, "on": "2024-05-09", "note": "保留"}
    for extra in ({}, {"confirmed": "1"}):
        response = staff_client.post(url, {**data, **extra})
        assert response.status_code == 400
        page = response.content.decode()
        assert "转出日期不能早于该党员加入本支部的日期（2024-05-10）。" in page
        assert 'value="2024-05-09"' in page and "保留" in page
    assert Membership.objects.count() == 1


def test_leaving_is_confirmed_first(staff_client, village):
    m = member(village, name="离开者")
    url = reverse("cadres:member_leave", args=[m.public_id])
    data = {"how": "transfer_out", "on": "2026-04-01", "to_place": "成都市某街道党工委"}
    assert staff_client.post(url, data).status_code == 200
    assert Membership.objects.get().left_on is None
    assert staff_client.post(url, {**data, "confirmed": "1"}).status_code == 302
    m.refresh_from_db()
    assert (m.left_on, m.left_how, m.to_place) == (D(2026, 4, 1), "transfer_out", "成都市某街道党工委")


def test_a_duty_post_is_refused_for_an_office_holder_on_the_form(staff_client, village):
    holder = member(village)
    PostFactory(
        village=village, person=holder.person, committee=Committee.BRANCH, position=Position.SECRETARY
    )
    kind = DutyKind.objects.get(name="政策宣传岗")
    data = {"kind": kind.public_id, "year": 2026, "assigned_on": "2026-03-01", "note": "每月宣讲一次"}
    response = staff_client.post(reverse("cadres:member_duty", args=[holder.public_id]), data)
    assert response.status_code == 400
    assert "设岗定责面向无职党员" in response.content.decode() and "每月宣讲一次" in response.content.decode()
    plain = member(village)
    assert staff_client.post(reverse("cadres:member_duty", args=[plain.public_id]), data).status_code == 302
    assert DutyAssignment.objects.get().membership == plain


def test_duty_kinds_are_kept_by_county_officials(official_client, staff_client):
    url = reverse("cadres:duty_kind_create")
    assert staff_client.get(url).status_code == 403
    response = official_client.post(
        url, {"name": "产业带富岗", "description": "带动群众增收", "order": 5, "active": "on"}
    )
    assert response.status_code == 302
    kind = DutyKind.objects.get(name="产业带富岗")
    edit = reverse("cadres:duty_kind_edit", args=[kind.public_id])
    response = official_client.post(
        edit, {"name": "产业带富岗", "description": "", "order": 5, "version": kind.version}
    )
    assert response.status_code == 302
    kind.refresh_from_db()
    assert kind.active is False
    assert "产业带富岗" in official_client.get(reverse("cadres:duty_kind_list")).content.decode()
    # A duplicate name is refused on the form, values kept.
    response = official_client.post(url, {"name": "政策宣传岗", "description": "重复", "order": 1})
    assert response.status_code == 400 and "重复" in response.content.decode()


def _committee_on_a_small_branch(village):
    for _ in range(5):
        member(village)
    for position in (Position.SECRETARY, Position.ORGANISATION, Position.PROPAGANDA):
        PostFactory(village=village, committee=Committee.BRANCH, position=position, start_date=D(2022, 3, 15))


def test_the_roster_and_the_village_page_flag_a_broken_committee(staff_client, village):
    _committee_on_a_small_branch(village)
    expected = "正式党员仅5名（不足7名），只设书记，但现设有组织委员、宣传委员。"
    roster = staff_client.get(reverse("cadres:roster", args=[village.code])).content.decode()
    assert expected in roster
    page = staff_client.get(reverse("villages:village_detail", args=[village.code])).content.decode()
    assert expected in page


def test_the_branch_page_lists_members_and_actions_for_the_owner(staff_client, outsider_client, village):
    m = member(village, name="支部党员甲")
    member(village, name="支部预备乙", full=False)
    url = reverse("branches:branch_detail", args=[branch_of(village).public_id])
    page = staff_client.get(url).content.decode()
    assert "支部党员甲" in page and "支部预备乙" in page
    assert reverse("cadres:member_transfer", args=[m.public_id]) in page
    assert reverse("cadres:member_duty", args=[m.public_id]) in page
    assert outsider_client.get(url).status_code == 404


@pytest.mark.parametrize("size", [3, 30])
def test_member_pages_run_a_fixed_number_of_queries(
    staff_client, village, other_village, size, django_assert_max_num_queries
):
    kind = DutyKind.objects.first()
    for k in range(size):
        m = member(village)
        if k % 2:
            ms.duty_assign(membership=m, kind=kind, year=2026, assigned_on=D(2026, 3, 1), note="履职")
        if k % 3 == 0:
            ms.membership_transfer(
                membership=member(village), to_branch=branch_of(other_village), on=D(2026, 2, 1)
            )
    branch_page = reverse("branches:branch_detail", args=[branch_of(village).public_id])
    for url, params, bound in [
        (reverse("cadres:member_list"), {}, 6),
        (reverse("cadres:member_list"), {"export": "csv"}, 4),
        (branch_page, {}, 20),
        (reverse("cadres:roster", args=[village.code]), {}, 14),
    ]:
        with django_assert_max_num_queries(bound, info=url):
            response = staff_client.get(url, params)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, url


def test_a_committee_post_on_a_six_member_branch_is_refused_on_the_post_form(staff_client, village):
    for _ in range(6):
        member(village)
    person = PersonFactory(home_village=village, name="候任委员")
    data = {
        "person": person.public_id,
        "village": village.code,
        "position": "organisation",
        "start_date": "2026-01-05",
    }
    response = staff_client.post(reverse("cadres:post_create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "姑咱示例01村党支部在2026-01-05有正式党员6名，不足7名，只设书记，不能设组织委员。" in page
    assert 'value="2026-01-05"' in page
    assert not person.posts.exists()
    member(village)  # the seventh full member
    assert staff_client.post(reverse("cadres:post_create"), data).status_code == 302


def test_a_member_from_another_township_is_listed_without_a_link_to_their_page(
    staff_client, outsider_client, village, other_village
):
    """The person lives in the other township (their page answers 404 there): named, not linked."""
    incoming = member(other_village, name="外乡转入")
    ms.membership_transfer(membership=incoming, to_branch=branch_of(village), on=D(2026, 2, 1))
    person_url = reverse("cadres:person_detail", args=[incoming.person.public_id])
    assert staff_client.get(person_url).status_code == 404
    listing = staff_client.get(reverse("cadres:member_list")).content.decode()
    panel = staff_client.get(
        reverse("branches:branch_detail", args=[branch_of(village).public_id])
    ).content.decode()
    for page in (listing, panel):
        assert "外乡转入" in page and person_url not in page
    # The township the person lives in still links them (their old, closed membership).
    assert person_url in outsider_client.get(reverse("cadres:member_list")).content.decode()
