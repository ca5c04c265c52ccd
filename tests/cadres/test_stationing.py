"""驻村第一书记 ([9/10]): the outsider rule, one per village, ending, corrections, scoping (404
outside, 403 for read-only writes), the county list's counts and export, the village page and
roster, the person picker widened to the county, and query bounds at two sizes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cadres import stationing as st
from cadres.models import Committee, JoinKind, Membership, Position, Stationing, StationingCorrection
from tests.cadres.factories import PersonFactory, PostFactory
from tests.factories import CountyFactory, TownshipFactory, VillageFactory
from villages.models import PartyBranch

pytestmark = pytest.mark.django_db

D = dt.date
START = D(2025, 3, 1)
UNIT = "县委组织部"


@pytest.fixture
def outsider_person(other_village):
    """Lives in another township of the county, holds nothing in ``village``."""
    return PersonFactory(home_village=other_village, name="外派书记")


def station(staff, village, person, start=START, unit=UNIT) -> Stationing:
    return st.stationing_create(
        user=staff, person=person, village=village, sending_unit=unit, start_date=start
    )


def message(exc: ValidationError) -> str:
    return " ".join(m for messages in exc.message_dict.values() for m in messages)


# ---------------------------------------------------------------- the rule


def test_an_outsider_from_another_township_is_stationed(staff, village, outsider_person):
    s = station(staff, village, outsider_person)
    assert (s.village, s.person, s.sending_unit, s.start_date, s.end_date) == (
        village,
        outsider_person,
        UNIT,
        START,
        None,
    )
    assert s.history.count() == 1


def test_the_village_s_own_cadre_is_refused(staff, village):
    secretary = PostFactory(
        village=village, committee=Committee.BRANCH, position=Position.SECRETARY, start_date=D(2021, 4, 1)
    )
    with pytest.raises(ValidationError) as exc:
        station(staff, village, secretary.person)
    assert message(exc.value) == (
        f"驻村第一书记须从村外选派：{secretary.person.name}在2025-03-01担任姑咱示例01村村党支部委员会书记，"
        "不能作为本村第一书记。"
    )
    assert not Stationing.objects.exists()


def test_a_former_cadre_who_left_before_the_start_is_accepted(staff, village):
    """The rule is "at the start date": a post that ended the day before does not count."""
    post = PostFactory(village=village, start_date=D(2021, 4, 1), end_date=START - dt.timedelta(days=1))
    assert station(staff, village, post.person).person == post.person
    # …but one that ends on the start date itself still holds it that day.
    second = VillageFactory(township=village.township, code="513301101202", name="姑咱示例02村")
    held = PostFactory(village=second, start_date=D(2021, 4, 1), end_date=START)
    with pytest.raises(ValidationError):
        station(staff, second, held.person)


def test_a_member_of_the_village_s_branch_is_refused(staff, village, other_village):
    person = PersonFactory(home_village=other_village, name="本村党员")
    branch = PartyBranch.objects.get(village=village, kind="village")
    Membership.objects.create(
        person=person,
        branch=branch,
        joined_on=D(2020, 1, 1),
        joined_how=JoinKind.REGISTERED,
        full_since=D(2020, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        station(staff, village, person)
    assert message(exc.value) == (
        f"驻村第一书记须从村外选派：本村党员在2025-03-01是{branch.name}党员，不能作为本村第一书记。"
    )
    # A member of another village's branch is an outsider here.
    other = PersonFactory(home_village=village, name="外村党员")
    Membership.objects.create(
        person=other,
        branch=PartyBranch.objects.get(village=other_village, kind="village"),
        joined_on=D(2020, 1, 1),
        joined_how=JoinKind.REGISTERED,
        full_since=D(2020, 1, 1),
    )
    assert station(staff, village, other).person == other


def test_a_person_of_another_county_is_refused(staff, village):
    county = CountyFactory(code="513322000000", name="泸定县")
    far = VillageFactory(township=TownshipFactory(county=county, code="513322101000"), code="513322101201")
    person = PersonFactory(home_village=far, name="外县人员")
    with pytest.raises(ValidationError) as exc:
        station(staff, village, person)
    assert message(exc.value) == "外县人员不是本县人员，不能选派到姑咱示例01村。"


def test_a_second_stationing_while_one_is_open_is_refused(staff, village, other_village, outsider_person):
    station(staff, village, outsider_person)
    newcomer = PersonFactory(home_village=other_village, name="后来书记")
    with pytest.raises(ValidationError) as exc:
        station(staff, village, newcomer, start=D(2026, 1, 1))
    assert message(exc.value) == (
        "姑咱示例01村已有驻村第一书记外派书记（2025-03-01起，至今），时间不能重叠；请先办理离任。"
    )
    # The database refuses a second open one too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Stationing.objects.create(
            person=newcomer, village=village, sending_unit=UNIT, start_date=D(2026, 1, 1)
        )


def test_after_the_predecessor_left_a_successor_starts_the_next_day_not_the_same_day(
    staff, village, other_village, outsider_person
):
    first = station(staff, village, outsider_person)
    st.stationing_end(user=staff, stationing=first, end_date=D(2025, 12, 31))
    newcomer = PersonFactory(home_village=other_village, name="后来书记")
    with pytest.raises(ValidationError):
        station(staff, village, newcomer, start=D(2025, 12, 31))
    assert station(staff, village, newcomer, start=D(2026, 1, 1)).person == newcomer


def test_a_person_is_stationed_in_one_village_at_a_time(staff, village, outsider_person):
    station(staff, village, outsider_person)
    second = VillageFactory(township=village.township, code="513301101202", name="姑咱示例02村")
    with pytest.raises(ValidationError) as exc:
        station(staff, second, outsider_person, start=D(2026, 1, 1))
    assert "同一时间只能驻一个村" in message(exc.value)


def test_sending_unit_required_and_start_date_bounded(staff, village, outsider_person):
    with pytest.raises(ValidationError) as exc:
        station(staff, village, outsider_person, unit="  ")
    assert message(exc.value) == "请填写派出单位。"
    today = timezone.localdate()
    latest = today + dt.timedelta(days=st.DAYS_AHEAD)
    with pytest.raises(ValidationError) as exc:
        station(staff, village, outsider_person, start=latest + dt.timedelta(days=1))
    assert message(exc.value) == f"驻村日期不能晚于{latest.isoformat()}（今天起30天内）。"
    assert station(staff, village, outsider_person, start=latest).start_date == latest


def test_ending_before_the_start_is_refused_on_the_start_day_accepted(staff, village, outsider_person):
    s = station(staff, village, outsider_person)
    with pytest.raises(ValidationError) as exc:
        st.stationing_end(user=staff, stationing=s, end_date=START - dt.timedelta(days=1))
    assert message(exc.value) == "离任日期不能早于驻村日期（2025-03-01）。"
    st.stationing_end(user=staff, stationing=s, end_date=START)
    s.refresh_from_db()
    assert s.end_date == START
    with pytest.raises(ValidationError):
        st.stationing_end(user=staff, stationing=s, end_date=START)
    # The database refuses an end before the start too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Stationing.objects.filter(pk=s.pk).update(end_date=START - dt.timedelta(days=1))


def test_only_the_village_s_township_staff_write(outsider, official, village, outsider_person):
    for user in (outsider, official):
        with pytest.raises(PermissionDenied):
            station(user, village, outsider_person)


def test_a_correction_of_the_start_date_keeps_the_rule_and_the_reason(staff, village, outsider_person):
    s = station(staff, village, outsider_person)
    with pytest.raises(ValidationError):
        st.stationing_correct(stationing=s, user=staff, reason="", start_date=D(2025, 2, 1))
    PostFactory(person=outsider_person, village=village, start_date=D(2020, 1, 1), end_date=D(2025, 2, 15))
    with pytest.raises(ValidationError) as exc:
        st.stationing_correct(stationing=s, user=staff, reason="按派遣文件", start_date=D(2025, 2, 1))
    assert "须从村外选派" in message(exc.value)
    correction = st.stationing_correct(
        stationing=s, user=staff, reason="按派遣文件", start_date=D(2025, 2, 16)
    )
    s.refresh_from_db()
    assert s.start_date == D(2025, 2, 16)
    assert correction.changes == {"start_date": ["2025-03-01", "2025-02-16"]}


# ---------------------------------------------------------------- selectors


def test_current_first_secretaries_follow_the_dates(staff, village, other_village, outsider_person):
    s = station(staff, village, outsider_person)
    st.stationing_end(user=staff, stationing=s, end_date=D(2025, 12, 31))
    villages = [village.pk, other_village.pk]
    assert list(st.current_first_secretaries(villages, D(2025, 2, 28))) == []
    assert list(st.current_first_secretaries(villages, START)) == [s]
    assert list(st.current_first_secretaries(villages, D(2025, 12, 31))) == [s]
    assert list(st.current_first_secretaries(villages, D(2026, 1, 1))) == []


# ---------------------------------------------------------------- pages


def _villages(township, n, start=2):
    return [
        VillageFactory(
            township=township, code=f"{township.code[:9]}{200 + k:03d}", name=f"{township.name}测{k}村"
        )
        for k in range(start, start + n)
    ]


def test_the_list_counts_villages_with_and_without(
    staff, staff_client, official_client, township, village, other_village, outsider_person
):
    extra = _villages(township, 2)  # 姑咱: village + 2 more
    station(staff, village, outsider_person)
    station(
        staff,
        extra[0],
        PersonFactory(home_village=other_village, name="二号书记"),
        unit="州级单位（州委宣传部）",
    )
    ended = station(staff, extra[1], PersonFactory(home_village=other_village, name="离任书记"))
    st.stationing_end(user=staff, stationing=ended, end_date=D(2025, 6, 30))
    url = reverse("cadres:first_secretary_list")
    # Hand count: 姑咱 has 3 villages, 2 with a first secretary today (the third's left in 2025).
    page = staff_client.get(url).content.decode()
    assert "有 2 村，无 1 村" in page
    assert "外派书记" in page and "二号书记" in page and "离任书记" not in page
    assert other_village.name not in page
    # The county: 4 villages, 新都桥示例01村 without.
    county = official_client.get(url).content.decode()
    assert "有 2 村，无 2 村" in county and other_village.name in county
    without = official_client.get(url, {"has": "false"}).content.decode()
    assert other_village.name in without and extra[1].name in without and village.name not in without
    assert "有 2 村，无 2 村" in without  # the counts ignore the 有/无 filter itself
    by_township = official_client.get(url, {"township": other_village.township.code}).content.decode()
    assert "有 0 村，无 1 村" in by_township
    bad = official_client.get(url, {"township": "513399999000"})
    assert "筛选条件有误" in bad.content.decode()


def test_the_list_exports(staff, staff_client, village, outsider_person):
    station(staff, village, outsider_person)
    response = staff_client.get(reverse("cadres:first_secretary_list"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].split(",") == ["村（社区）", "乡镇（街道）", "驻村第一书记", "派出单位", "驻村日期"]
    assert lines[1].split(",") == ["姑咱示例01村", "姑咱镇", "外派书记", UNIT, "2025-03-01"]
    xlsx = staff_client.get(reverse("cadres:first_secretary_list"), {"export": "xlsx"})
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]


def test_the_create_form_records_and_refuses_in_place(staff_client, village, outsider_person):
    url = reverse("cadres:stationing_create")
    page = staff_client.get(url, {"village": village.code}).content.decode()
    assert "外派书记" in page  # a person of another township is offered
    assert 'data-search-url="/cadres/people/search/?county=1"' in page
    own = PostFactory(village=village, position=Position.DIRECTOR, committee=Committee.VILLAGERS)
    data = {
        "village": village.code,
        "person": own.person.public_id,
        "sending_unit": "县财政局",
        "start_date": "2025-03-01",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "须从村外选派" in text and 'value="县财政局"' in text and 'value="2025-03-01"' in text
    response = staff_client.post(url, {**data, "person": outsider_person.public_id})
    s = Stationing.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "cadres:stationing_detail", args=[s.public_id]
    )
    again = staff_client.post(url, {**data, "person": PersonFactory(home_village=village).public_id})
    assert again.status_code == 400 and "时间不能重叠" in again.content.decode()
    assert staff_client.post(url, {**data, "sending_unit": ""}).status_code == 400


def test_the_person_search_widens_to_the_county_only_when_asked(staff_client, outsider_person):
    search = reverse("cadres:person_search")
    assert staff_client.get(search, {"q": "外派"}).json()["results"] == []
    found = staff_client.get(search, {"q": "外派", "county": "1"}).json()["results"]
    assert [r["value"] for r in found] == [str(outsider_person.public_id)]
    county = CountyFactory(code="513322000000", name="泸定县")
    far = VillageFactory(township=TownshipFactory(county=county, code="513322101000"), code="513322101201")
    PersonFactory(home_village=far, name="外派外县")
    assert len(staff_client.get(search, {"q": "外派", "county": "1"}).json()["results"]) == 1


def test_scoping_404_outside_and_403_for_read_only(
    staff, staff_client, outsider_client, official_client, village, outsider_person
):
    s = station(staff, village, outsider_person)
    detail = reverse("cadres:stationing_detail", args=[s.public_id])
    end = reverse("cadres:stationing_end", args=[s.public_id])
    correct = reverse("cadres:stationing_correct", args=[s.public_id])
    assert staff_client.get(detail).status_code == 200
    assert official_client.get(detail).status_code == 200
    for url in (detail, end, correct):
        assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(end, {"end_date": "2025-06-01", "confirmed": "1"}).status_code == 404
    create = reverse("cadres:stationing_create")
    assert official_client.get(create).status_code == 403
    data = {
        "village": village.code,
        "person": outsider_person.public_id,
        "sending_unit": UNIT,
        "start_date": "2025-03-01",
    }
    assert official_client.post(create, data).status_code == 403
    assert official_client.post(end, {"end_date": "2025-06-01", "confirmed": "1"}).status_code == 403
    official_page = official_client.get(detail).content.decode()
    assert end not in official_page and correct not in official_page
    assert end in staff_client.get(detail).content.decode()
    # Another township's staff cannot pick that village either.
    response = outsider_client.post(create, data)
    assert response.status_code == 400 and Stationing.objects.count() == 1
    s.refresh_from_db()
    assert s.end_date is None


def test_ending_asks_for_confirmation_first(staff, staff_client, village, outsider_person):
    s = station(staff, village, outsider_person)
    url = reverse("cadres:stationing_end", args=[s.public_id])
    early = staff_client.post(url, {"end_date": "2025-02-28"})
    assert early.status_code == 400 and "离任日期不能早于驻村日期（2025-03-01）。" in early.content.decode()
    confirm = staff_client.post(url, {"end_date": "2025-03-01"})
    assert confirm.status_code == 200
    assert "外派书记自2025-03-01起不再担任姑咱示例01村驻村第一书记" in confirm.content.decode()
    s.refresh_from_db()
    assert s.end_date is None  # nothing saved by the dry run
    done = staff_client.post(url, {"end_date": "2025-03-01", "confirmed": "1"})
    assert done.status_code == 302
    s.refresh_from_db()
    assert s.end_date == D(2025, 3, 1)


def test_the_correction_page_records_a_reason(staff, staff_client, village, outsider_person):
    s = station(staff, village, outsider_person)
    url = reverse("cadres:stationing_correct", args=[s.public_id])
    assert staff_client.post(url, {"start_date": "2025-02-01", "reason": ""}).status_code == 400
    response = staff_client.post(url, {"start_date": "2025-02-01", "reason": "派遣文件日期"})
    assert response.status_code == 302
    assert StationingCorrection.objects.get().reason == "派遣文件日期"
    page = staff_client.get(reverse("cadres:stationing_detail", args=[s.public_id])).content.decode()
    assert "派遣文件日期" in page and "2025-02-01" in page


def test_the_village_page_and_roster_show_the_first_secretary(
    staff, staff_client, official_client, village, outsider_person
):
    roster = reverse("cadres:roster", args=[village.code])
    village_page = reverse("villages:village_detail", args=[village.code])
    create_link = f"{reverse('cadres:stationing_create')}?village={village.code}"
    assert create_link in staff_client.get(village_page).content.decode()
    assert create_link not in official_client.get(village_page).content.decode()
    s = station(staff, village, outsider_person)
    detail = reverse("cadres:stationing_detail", args=[s.public_id])
    for url in (roster, village_page):
        page = staff_client.get(url).content.decode()
        assert "驻村第一书记" in page and "外派书记" in page and UNIT in page and "2025-03-01起" in page
        assert detail in page


@pytest.mark.parametrize("size", [2, 20])
def test_first_secretary_pages_run_a_fixed_number_of_queries(
    staff,
    staff_client,
    official_client,
    township,
    village,
    other_village,
    size,
    django_assert_max_num_queries,
):
    villages = [village, *_villages(township, size)]
    for k, v in enumerate(villages):
        if k % 3:
            station(staff, v, PersonFactory(home_village=other_village), unit=f"县直单位{k}")
    s = station(staff, village, outsider_person := PersonFactory(home_village=other_village))
    assert s.person == outsider_person
    url = reverse("cadres:first_secretary_list")
    for client, target, params, bound in [
        (staff_client, url, {}, 10),
        (official_client, url, {"has": "true"}, 10),
        (staff_client, url, {"export": "csv"}, 8),
        (staff_client, reverse("cadres:stationing_detail", args=[s.public_id]), {}, 14),
        (staff_client, reverse("cadres:stationing_create"), {}, 10),
        (staff_client, reverse("cadres:roster", args=[village.code]), {}, 16),
    ]:
        with django_assert_max_num_queries(bound, info=target):
            response = client.get(target, params)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, target
