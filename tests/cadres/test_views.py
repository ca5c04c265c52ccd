"""Every cadre page: who may read and write it, query bounds at two data sizes, exports, and that no
whole ID number ever leaves the server except through the logged reveal."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cadres import services
from cadres.models import (
    Committee,
    Development,
    Evaluation,
    IdNumberReveal,
    Person,
    Position,
    Post,
    ReserveCadre,
)
from tests.cadres.factories import (
    DevelopmentFactory,
    EvaluationFactory,
    PersonFactory,
    PostFactory,
    ReserveCadreFactory,
)
from tests.helpers import database_unchanged
from tests.training.factories import reserve_attended

pytestmark = pytest.mark.django_db

LISTS = [
    "cadres:index",
    "cadres:post_list",
    "cadres:evaluation_list",
    "cadres:development_list",
    "cadres:reserve_list",
    "cadres:compliance",
]
# Measured query counts; the SAME bound holds at 3 and at 30 rows per village.
# Measured for a county official, whose navigation also counts the review queue (one query).
LIST_QUERIES = {"cadres:compliance": 11}
LIST_QUERIES_DEFAULT = 7
DETAIL_QUERIES = 12  # the person page lists post and evaluation corrections (one query each)
CREATE_FORMS = [
    "cadres:person_create",
    "cadres:post_create",
    "cadres:evaluation_create",
    "cadres:development_create",
    "cadres:reserve_create",
]


def populate(village, n: int) -> None:
    """n people in ``village``, each with a post, an evaluation, an application and a reserve place."""
    positions = [Position.MEMBER, Position.DEPUTY_DIRECTOR]
    for k in range(n):
        person = PersonFactory(home_village=village, is_returning_migrant=k % 2 == 0)
        PostFactory(village=village, person=person, committee=Committee.VILLAGERS, position=positions[k % 2])
        EvaluationFactory(village=village, person=person, year=2025)
        DevelopmentFactory(village=village, person=person)
        reserve = ReserveCadreFactory(village=village, person=person, mentor=None)
        reserve_attended(reserve)


def _rows(response) -> list[list[str]]:
    if response["Content-Type"].startswith("text/csv"):
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text)))
    sheet = load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


# ---------------------------------------------------------------- access


@pytest.mark.parametrize("name", LISTS + CREATE_FORMS)
def test_anonymous_users_are_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", LISTS)
def test_lists_refuse_post(staff_client, name):
    assert staff_client.post(reverse(name)).status_code == 405


def _valid_entry(name, village, cadre):
    """Data each entry form accepts from the village's township staff (``cadre`` holds a post there)."""
    person, code = cadre.public_id, village.code
    return {
        "cadres:person_create": {
            "name": "新人乙",
            "sex": "male",
            "ethnicity": "藏族",
            "birth_date": "1990-05-17",
            "id_number": "513301199005171092",  # hand-computed, see test_idnumbers.py
            "education": "senior",
            "home_village": code,
        },
        "cadres:post_create": {
            "person": person,
            "village": code,
            "position": "member",
            "start_date": "2026-01-05",
        },
        "cadres:evaluation_create": {
            "person": person,
            "village": code,
            "year": 2025,
            "performance": "competent",
            "integrity": "good",
            "evaluated_on": "2026-01-10",
        },
        "cadres:development_create": {"person": person, "village": code, "applied_on": "2024-03-01"},
        "cadres:reserve_create": {
            "village": code,
            "plan_year": 2026,
            "person": person,
            "recommended_on": "2026-03-01",
        },
    }[name]


@pytest.mark.parametrize("name", CREATE_FORMS)
def test_county_officials_may_not_open_entry_forms(official_client, staff_client, village, name):
    cadre = PostFactory(village=village, committee=Committee.VILLAGERS, position=Position.MEMBER).person
    data = _valid_entry(name, village, cadre)
    assert official_client.get(reverse(name)).status_code == 403
    with database_unchanged():
        assert official_client.post(reverse(name), data).status_code == 403
    # The same data from the township's staff is saved: the refusal above is the role, not the data.
    assert staff_client.post(reverse(name), data).status_code == 302


@pytest.mark.parametrize("name", CREATE_FORMS)
def test_township_staff_get_entry_forms(staff_client, village, name):
    assert staff_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", CREATE_FORMS)
def test_entry_forms_refuse_put(staff_client, name):
    assert staff_client.put(reverse(name)).status_code == 405


def _objects(village):
    post = PostFactory(village=village, committee=Committee.VILLAGERS, position=Position.MEMBER)
    reserve = ReserveCadreFactory(village=village, person=post.person)
    development = DevelopmentFactory(village=village, person=post.person)
    return post, reserve, development


def _detail_urls(post, reserve, development):
    return [
        reverse("cadres:person_detail", args=[post.person.public_id]),
        reverse("cadres:roster", args=[post.village.code]),
        reverse("cadres:development_detail", args=[development.public_id]),
        reverse("cadres:reserve_detail", args=[reserve.public_id]),
    ]


def _write_urls(post, reserve, development):
    return [
        reverse("cadres:person_edit", args=[post.person.public_id]),
        reverse("cadres:post_end", args=[post.public_id]),
        reverse("cadres:development_action", args=[development.public_id, "activist"]),
        reverse("cadres:reserve_action", args=[reserve.public_id, "review"]),
    ]


def _valid_writes(post, reserve, development):
    """(url, data) pairs each write accepts from the village's township staff."""
    person = post.person
    return [
        (
            reverse("cadres:person_edit", args=[person.public_id]),
            {
                "name": "改名",
                "sex": person.sex,
                "ethnicity": person.ethnicity,
                "birth_date": person.birth_date.isoformat(),
                "id_number": "",
                "education": person.education,
                "home_village": post.village.code,
                "version": getattr(person, "version", 1),
            },
        ),
        (reverse("cadres:post_end", args=[post.public_id]), {"end_date": "2026-01-01", "confirmed": "1"}),
        (
            reverse("cadres:development_action", args=[development.public_id, "talk"]),
            {"talk-talked_on": development.applied_on.isoformat()},
        ),
        (
            reverse("cadres:reserve_action", args=[reserve.public_id, "review"]),
            {"review-on": reserve.recommended_on.isoformat()},
        ),
    ]


def test_detail_pages_answer_staff_and_the_county_but_404_for_another_township(
    staff_client, official_client, outsider_client, client, village
):
    for url in _detail_urls(*_objects(village)):
        assert staff_client.get(url).status_code == 200, url
        assert official_client.get(url).status_code == 200, url
        assert outsider_client.get(url).status_code == 404, url
        assert client.get(url).status_code == 302, url
        assert staff_client.post(url).status_code == 405, url


def test_writes_on_objects_are_403_for_officials_and_404_for_outsiders(
    official_client, outsider_client, staff_client, village
):
    writes = _valid_writes(*_objects(village))
    with database_unchanged():
        for url, data in writes:
            assert official_client.post(url, data).status_code == 403, url
            assert outsider_client.post(url, data).status_code == 404, url
    # The same posts from the township's staff are saved: the refusals above are the jurisdiction.
    for url, data in writes:
        assert staff_client.post(url, data).status_code == 302, url


def test_step_actions_answer_get_with_the_records_page_and_reveal_refuses_it(staff_client, village):
    post, reserve, development = _objects(village)
    # A reload of an action's address goes back to the record (tests/cadres/test_reloadable_actions.py).
    details = [
        reverse("cadres:development_detail", args=[development.public_id]),
        reverse("cadres:reserve_detail", args=[reserve.public_id]),
    ]
    for url, detail in zip(_write_urls(post, reserve, development)[2:], details, strict=True):
        response = staff_client.get(url)
        assert response.status_code == 302 and response["Location"] == detail, url
    assert staff_client.get(reverse("cadres:person_reveal", args=[post.person.public_id])).status_code == 405


def test_a_village_of_another_township_has_no_roster_for_the_outsider(outsider_client, village):
    assert outsider_client.get(reverse("cadres:roster", args=[village.code])).status_code == 404


# ---------------------------------------------------------------- the township user's path


def test_a_township_user_registers_gives_a_post_and_walks_the_four_steps(
    staff_client, village, secretary_post
):
    # Born on a leap day; 51330119920229017 weighs 265 = 24·11 + 1 → check character "0".
    number = "513301199202290170"
    response = staff_client.post(
        reverse("cadres:person_create"),
        {
            "name": "新人甲",
            "sex": "male",
            "ethnicity": "藏族",
            "birth_date": "1992-02-29",
            "id_number": number,
            "education": "senior",
            "phone": "13812345678",
            "home_village": village.code,
            "is_returning_migrant": "on",
        },
    )
    person = Person.objects.get(name="新人甲")
    assert response.status_code == 302
    response = staff_client.post(
        reverse("cadres:post_create"),
        {
            "person": person.public_id,
            "village": village.code,
            "committee": "villagers",
            "position": "member",
            "start_date": "2026-01-05",
        },
    )
    assert response.status_code == 302
    assert Post.objects.filter(person=person).exists()
    staff_client.post(
        reverse("cadres:reserve_create"),
        {
            "village": village.code,
            "plan_year": 2026,
            "person": person.public_id,
            "recommended_on": "2026-03-01",
        },
    )
    reserve = ReserveCadre.objects.get(person=person)
    steps = [
        ("review", {"review-on": "2026-03-10"}),
        ("decide", {"decide-on": "2026-03-20"}),
        ("pair", {"pair-on": "2026-04-01", "pair-mentor": secretary_post.person.public_id}),
    ]
    for action, data in steps:
        response = staff_client.post(reverse("cadres:reserve_action", args=[reserve.public_id, action]), data)
        assert response.status_code == 302, response.content.decode()
    reserve.refresh_from_db()
    assert reserve.stage == "paired" and reserve.mentor == secretary_post.person
    # Training is recorded as attendance of a class (training/): the page links there.
    page = staff_client.get(reverse("cadres:reserve_detail", args=[reserve.public_id])).content.decode()
    assert "在培训班中登记出勤" in page and "/training/?audience=reserve" in page


def test_an_id_number_error_is_shown_on_its_field_and_nothing_is_saved(staff_client, village):
    response = staff_client.post(
        reverse("cadres:person_create"),
        {
            "name": "错号",
            "sex": "male",
            "ethnicity": "藏族",
            "birth_date": "1990-01-01",
            "id_number": "513301199001011230",
            "education": "senior",
            "home_village": village.code,
        },
    )
    assert response.status_code == 400
    assert "校验码" in response.context["form"].errors["id_number"][0]
    assert not Person.objects.exists()


def test_an_out_of_order_step_shows_its_error(staff_client, village):
    reserve = ReserveCadreFactory(village=village)
    response = staff_client.post(
        reverse("cadres:reserve_action", args=[reserve.public_id, "decide"]), {"decide-on": "2026-04-01"}
    )
    assert response.status_code == 400
    assert "当前环节为“党群荐”，下一步只能是“两委审”。" in response.content.decode()


def test_a_mentor_from_another_township_cannot_be_chosen(staff_client, village, other_village):
    reserve = ReserveCadreFactory(
        village=village, stage="decided", reviewed_on=dt.date(2026, 3, 2), decided_on=dt.date(2026, 3, 3)
    )
    stranger = PostFactory(village=other_village).person
    response = staff_client.post(
        reverse("cadres:reserve_action", args=[reserve.public_id, "pair"]),
        {"pair-on": "2026-04-01", "pair-mentor": stranger.public_id},
    )
    assert response.status_code == 400
    reserve.refresh_from_db()
    assert reserve.mentor is None


def test_a_development_step_is_taken_through_its_form(staff_client, village):
    development = DevelopmentFactory(
        village=village, applied_on=dt.date(2024, 1, 10), talked_on=dt.date(2024, 1, 20)
    )
    url = reverse("cadres:development_action", args=[development.public_id, "activist"])
    assert staff_client.post(url, {"activist-on": "2024-02-01", "confirmed": "1"}).status_code == 302
    assert Development.objects.get().stage == "activist"


def test_revealing_is_logged_and_not_cached(official_client, person):
    detail = reverse("cadres:person_detail", args=[person.public_id])
    response = official_client.post(reverse("cadres:person_reveal", args=[person.public_id]))
    # Post/redirect/get: the address bar ends on the person's page, never with the number in it.
    assert response.status_code == 302 and response["Location"] == detail
    assert person.reveal_id_number() not in response["Location"]
    response = official_client.get(detail)
    assert person.reveal_id_number() in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert IdNumberReveal.objects.get().person == person
    # A reload shows it masked again, and logs nothing more.
    again = official_client.get(detail).content.decode()
    assert person.reveal_id_number() not in again and person.id_number_masked in again
    assert IdNumberReveal.objects.count() == 1


def test_outsiders_cannot_reveal(outsider_client, person):
    with database_unchanged():
        assert (
            outsider_client.post(reverse("cadres:person_reveal", args=[person.public_id])).status_code == 404
        )
    assert not IdNumberReveal.objects.exists()


# ---------------------------------------------------------------- lists: scoping, bounds, exports


@pytest.mark.parametrize("name", LISTS)
def test_lists_show_only_the_users_township(staff_client, official_client, village, other_village, name):
    populate(village, 2)
    populate(other_village, 3)
    staff_rows = _rows(staff_client.get(reverse(name), {"export": "csv"}))
    official_rows = _rows(official_client.get(reverse(name), {"export": "csv"}))
    assert len(staff_rows) - 1 < len(official_rows) - 1
    assert all("新都桥" not in "".join(row) for row in staff_rows)


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("size", [3, 30])
def test_list_queries_do_not_grow_with_rows(
    official_client, village, other_village, django_assert_max_num_queries, name, size
):
    populate(village, size)
    populate(other_village, size)
    with django_assert_max_num_queries(LIST_QUERIES.get(name, LIST_QUERIES_DEFAULT)):
        assert official_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_detail_queries_do_not_grow_with_rows(official_client, village, django_assert_max_num_queries, size):
    populate(village, size)
    person = Person.objects.first()
    for k in range(size):
        EvaluationFactory(village=village, person=person, year=1970 + k)
    reserve = ReserveCadre.objects.first()
    for _k in range(size):
        reserve_attended(reserve)
    urls = _detail_urls(Post.objects.filter(person=person).first(), reserve, Development.objects.first())
    for url in urls:
        with django_assert_max_num_queries(DETAIL_QUERIES):
            assert official_client.get(url).status_code == 200


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exports_hold_the_same_rows_as_the_filtered_page(official_client, village, other_village, name, fmt):
    populate(village, 3)
    populate(other_village, 2)
    params = {"township": village.township.code}
    page = official_client.get(reverse(name), params)
    rows = _rows(official_client.get(reverse(name), params | {"export": fmt}))
    assert len(rows) - 1 == page.context["page_obj"].paginator.count > 0


@pytest.mark.parametrize("name", LISTS)
def test_an_unknown_export_format_is_a_bad_request(staff_client, name):
    assert staff_client.get(reverse(name), {"export": "pdf"}).status_code == 400


def test_the_overdue_filter_lists_probations_past_their_end(staff_client, village):
    DevelopmentFactory(village=village, stage="probationary", probation_ends_on=dt.date(2020, 1, 1))
    DevelopmentFactory(village=village, stage="probationary", probation_ends_on=dt.date(2100, 1, 1))
    page = staff_client.get(reverse("cadres:development_list"), {"overdue": "true"})
    assert page.context["page_obj"].paginator.count == 1


def test_the_compliance_page_lists_every_village_with_totals(official_client, village, other_village):
    populate(village, 3)
    page = official_client.get(reverse("cadres:compliance"), {"year": 2026})
    assert page.context["total"]["villages"] == 2
    assert page.context["total"]["met"] == 1 and page.context["total"]["too_few"] == 1
    assert official_client.get(reverse("cadres:compliance"), {"year": "abc"}).status_code == 400


def test_the_compliance_page_filters_by_status(official_client, village, other_village):
    populate(village, 3)
    page = official_client.get(reverse("cadres:compliance"), {"year": 2026, "status": "too_few"})
    assert [v.code for v in page.context["object_list"]] == [other_village.code]


# ---------------------------------------------------------------- no whole ID number leaves the server


def test_no_whole_id_number_appears_in_any_page_or_export(
    staff_client, official_client, village, other_village
):
    populate(village, 4)
    populate(other_village, 2)
    numbers = [person.reveal_id_number() for person in Person.objects.all()]
    post, reserve, development = (
        Post.objects.first(),
        ReserveCadre.objects.first(),
        Development.objects.first(),
    )
    lists = [reverse(name) for name in LISTS]
    edit = reverse("cadres:person_edit", args=[post.person.public_id])
    urls = lists + _detail_urls(post, reserve, development)
    urls += [edit, reverse("villages:village_detail", args=[village.code]), reverse("dashboard")]
    # Every page must answer as expected: a page that started failing would otherwise go unchecked.
    expected_status = {
        "staff": dict.fromkeys(urls, 200),
        "official": dict.fromkeys(urls, 200) | {edit: 403},  # county officials read, never edit
    }
    for who, client in (("staff", staff_client), ("official", official_client)):
        for url in urls:
            response = client.get(url)
            assert response.status_code == expected_status[who][url], f"{who} {url}"
            outputs = [response.content.decode()]
            if url in lists:
                for fmt in ("csv", "xlsx"):
                    export = client.get(url, {"export": fmt})
                    assert export.status_code == 200, f"{who} {url} {fmt}"
                    outputs.append(str(_rows(export)))
            for output in outputs:
                for number in numbers:
                    assert number not in output, url
                    assert number[:17] not in output, url


def test_editing_a_person_without_a_new_number_keeps_the_stored_one(staff_client, person):
    number = person.reveal_id_number()
    response = staff_client.post(
        reverse("cadres:person_edit", args=[person.public_id]),
        {
            "name": "改名",
            "sex": person.sex,
            "ethnicity": "藏族",
            "birth_date": person.birth_date.isoformat(),
            "id_number": "",
            "version": person.version,
            "education": "college",
            "home_village": person.home_village.code,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.name == "改名" and person.reveal_id_number() == number


def test_editing_the_birth_date_away_from_the_number_is_refused(staff_client, person):
    response = staff_client.post(
        reverse("cadres:person_edit", args=[person.public_id]),
        {
            "name": person.name,
            "sex": person.sex,
            "ethnicity": "藏族",
            "birth_date": "1901-01-01",
            "id_number": "",
            "version": person.version,
            "education": "college",
            "home_village": person.home_village.code,
        },
    )
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.birth_date.year != 1901


def test_a_second_evaluation_for_the_same_year_is_refused_on_the_form(staff_client, village):
    evaluation = EvaluationFactory(village=village, year=2025)
    PostFactory(village=village, person=evaluation.person, committee="villagers", position="member")
    response = staff_client.post(
        reverse("cadres:evaluation_create"),
        {
            "person": evaluation.person.public_id,
            "village": village.code,
            "year": 2025,
            "performance": "competent",
            "integrity": "good",
            "evaluated_on": "2026-01-10",
        },
    )
    assert response.status_code == 400
    assert "该人员本年度已有两述一评记录。" in response.content.decode()


def test_an_evaluation_for_someone_without_a_post_there_is_refused_on_the_form(staff_client, person, village):
    from tests.factories import VillageFactory

    neighbour = VillageFactory(township=village.township, code="513301101399")
    PostFactory(village=neighbour, person=person, committee="villagers", position="member")
    response = staff_client.post(
        reverse("cadres:evaluation_create"),
        {
            "person": person.public_id,
            "village": village.code,
            "year": 2025,
            "performance": "competent",
            "integrity": "good",
            "evaluated_on": "2026-01-10",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["person"] == [
        services.EVALUATION_NOT_A_CADRE % {"name": person.name, "year": 2025, "village": village.name}
    ]
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("name", ["cadres:index", "cadres:post_list", "cadres:evaluation_list"])
def test_yes_no_filters_offer_all_yes_and_no_not_unknown(staff_client, name):
    content = staff_client.get(reverse(name)).content.decode()
    assert '<option value="" selected>全部</option>' in content
    assert "未知" not in content


def test_the_people_list_filters_by_background(staff_client, village):
    PersonFactory(home_village=village, is_veteran=True)
    PersonFactory(home_village=village)
    page = staff_client.get(reverse("cadres:index"), {"background": "is_veteran"})
    assert page.context["page_obj"].paginator.count == 1


def test_phones_are_masked_in_lists(staff_client, person):
    content = staff_client.get(reverse("cadres:index")).content.decode()
    assert person.phone not in content
    assert person.masked_phone in content


def test_the_ending_filter_lists_open_terms_ending_within_90_days(staff_client, village):
    from django.utils import timezone

    today = timezone.localdate()
    PostFactory(village=village, term_end=today + dt.timedelta(days=90))
    PostFactory(
        village=village, committee="villagers", position="director", term_end=today + dt.timedelta(days=91)
    )
    page = staff_client.get(reverse("cadres:post_list"), {"ending": "true"})
    assert page.context["page_obj"].paginator.count == 1


def test_the_home_and_dashboard_pages_carry_the_cadre_panels(staff_client, official_client, village):
    populate(village, 3)
    assert "干部工作提醒" in staff_client.get(reverse("home")).content.decode()
    assert "3512后备干部达标情况" in official_client.get(reverse("dashboard")).content.decode()
    assert (
        "两委班子"
        in staff_client.get(reverse("villages:village_detail", args=[village.code])).content.decode()
    )


def test_a_refused_registration_does_not_echo_the_number_back(staff_client, village, person):
    number = person.reveal_id_number()
    response = staff_client.post(
        reverse("cadres:person_create"),
        {
            "name": "重复",
            "sex": "male",
            "ethnicity": "藏族",
            "birth_date": person.birth_date.isoformat(),
            "id_number": number,
            "education": "senior",
            "home_village": village.code,
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "该身份证号码已登记为扎西测试" in content
    assert number not in content


def test_the_compliance_page_shows_a_whole_county_at_once(official_client, village):
    from tests.factories import VillageFactory

    for k in range(60):
        VillageFactory(township=village.township, code=f"513301101{300 + k}")
    page = official_client.get(reverse("cadres:compliance"), {"year": 2026})
    assert len(page.context["object_list"]) == 61


def test_the_compliance_table_answers_htmx_with_the_partial(official_client, village):
    response = official_client.get(reverse("cadres:compliance"), {"year": 2026}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<h1>" not in response.content.decode()


def test_a_person_is_found_by_whole_id_number_without_it_entering_the_url(staff_client, person):
    response = staff_client.post(reverse("cadres:person_lookup"), {"id_number": person.reveal_id_number()})
    assert response["Location"] == reverse("cadres:person_detail", args=[person.public_id])


def test_looking_up_someone_of_another_township_finds_no_one(outsider_client, person):
    response = outsider_client.post(
        reverse("cadres:person_lookup"), {"id_number": person.reveal_id_number()}, follow=True
    )
    assert "没有找到该身份证号码对应的人员。" in response.content.decode()


def test_looking_up_a_malformed_number_says_what_is_wrong(staff_client):
    response = staff_client.post(reverse("cadres:person_lookup"), {"id_number": "123"}, follow=True)
    assert "身份证号码应为18位" in response.content.decode()
    assert staff_client.get(reverse("cadres:person_lookup")).status_code == 405


def test_a_paired_reserve_cadre_is_appointed_to_their_new_post_through_the_form(staff_client, village):
    reserve = ReserveCadreFactory(
        village=village,
        stage="paired",
        reviewed_on=dt.date(2026, 3, 2),
        decided_on=dt.date(2026, 3, 3),
        paired_on=dt.date(2026, 3, 4),
        mentor=PostFactory(village=village).person,
    )
    post = PostFactory(village=village, person=reserve.person, committee="villagers", position="member")
    response = staff_client.post(
        reverse("cadres:reserve_action", args=[reserve.public_id, "appoint"]),
        {"appoint-post": post.public_id, "confirmed": "1"},
    )
    assert response.status_code == 302
    reserve.refresh_from_db()
    assert reserve.outcome == "appointed" and reserve.appointed_post == post


def test_withdrawing_through_the_form_needs_a_reason(staff_client, village):
    reserve = ReserveCadreFactory(village=village)
    url = reverse("cadres:reserve_action", args=[reserve.public_id, "withdraw"])
    assert staff_client.post(url, {"withdraw-reason": ""}).status_code == 400
    assert staff_client.post(url, {"withdraw-reason": "迁出本村", "confirmed": "1"}).status_code == 302
    reserve.refresh_from_db()
    assert reserve.outcome == "withdrawn"


def test_an_unknown_step_is_a_bad_request(staff_client, village):
    reserve = ReserveCadreFactory(village=village)
    assert (
        staff_client.post(reverse("cadres:reserve_action", args=[reserve.public_id, "promote"])).status_code
        == 400
    )


def test_a_paired_reserve_cadre_links_to_registering_their_new_post(staff_client, official_client, village):
    reserve = ReserveCadreFactory(
        village=village,
        stage="paired",
        reviewed_on=dt.date(2026, 3, 2),
        decided_on=dt.date(2026, 3, 3),
        paired_on=dt.date(2026, 3, 4),
        mentor=PostFactory(village=village).person,
    )
    url = reverse("cadres:reserve_detail", args=[reserve.public_id])
    link = f"{reverse('cadres:post_create')}?person={reserve.person.public_id}&amp;village={village.code}"
    assert link in staff_client.get(url).content.decode()
    assert link not in official_client.get(url).content.decode()
    reserve.stage = "decided"
    reserve.save()
    assert link not in staff_client.get(url).content.decode()


def test_a_post_is_given_by_position_alone_and_files_under_its_committee(staff_client, person, village):
    form = staff_client.get(reverse("cadres:post_create")).content.decode()
    assert '<optgroup label="村民委员会">' in form and 'name="committee"' not in form
    assert '<option value="" selected>---------</option>' in form[form.index('name="position"') :]
    response = staff_client.post(
        reverse("cadres:post_create"),
        {
            "person": person.public_id,
            "village": village.code,
            "position": "director",
            "start_date": "2026-01-05",
        },
    )
    assert response.status_code == 302
    assert Post.objects.get(person=person).committee == Committee.VILLAGERS


def test_the_activist_step_is_offered_once_the_branch_talk_is_recorded(staff_client, village):
    development = DevelopmentFactory(village=village, applied_on=dt.date(2024, 1, 10))
    url = reverse("cadres:development_detail", args=[development.public_id])
    content = staff_client.get(url).content.decode()
    assert "记录支部谈话" in content and "确定为入党积极分子</button>" not in content
    talk = reverse("cadres:development_action", args=[development.public_id, "talk"])
    assert staff_client.post(talk, {"talk-talked_on": "2024-02-10"}).status_code == 302
    assert "确定为入党积极分子</button>" in staff_client.get(url).content.decode()


def test_the_evaluation_form_offers_only_people_who_hold_or_held_a_post(staff_client, person, village):
    cadre = PostFactory(village=village, committee="villagers", position="member").person
    options = staff_client.get(reverse("cadres:evaluation_create")).context["form"].fields["person"].queryset
    assert list(options) == [cadre]


def test_views_that_receive_a_whole_id_number_keep_it_out_of_error_reports(staff_client, person):
    urls = [
        reverse("cadres:person_create"),
        reverse("cadres:person_edit", args=[person.public_id]),
        reverse("cadres:person_lookup"),
    ]
    for url in urls:
        response = staff_client.post(url, {"id_number": "123"})
        assert response.wsgi_request.sensitive_post_parameters == ("id_number",), url


@pytest.mark.parametrize("year", ["abc", "1999", "2101", "2026.5"])
def test_a_malformed_plan_year_shows_the_page_with_the_error_and_no_rows(official_client, village, year):
    populate(village, 3)
    response = official_client.get(reverse("cadres:compliance"), {"year": year})
    assert response.status_code == 400
    assert response.context["filter"].errors["year"]
    assert response.context["page_obj"].paginator.count == 0
    assert "筛选条件有误，请修改后重试。" in response.content.decode()


def test_people_are_offered_with_their_village_and_current_post(staff_client, person, village):
    form = staff_client.get(reverse("cadres:post_create")).content.decode()
    # [6/10]: 姓名 · 出生年份 · 村 · 当前职务
    assert f"{person.name} · {person.birth_date.year}年生 · {village.name} · 无现任职务" in form


def test_the_evaluation_form_preselects_no_rating(staff_client, village):
    person = PostFactory(village=village, committee="villagers", position="member").person
    content = staff_client.get(reverse("cadres:evaluation_create")).content.decode()
    for name in ("performance", "integrity"):
        select = content[content.index(f'name="{name}"') :]
        first_option = select[select.index("<option") : select.index("</option>")]
        assert first_option == '<option value="" selected>---------', name
    data = {"person": person.public_id, "village": village.code, "year": 2025, "evaluated_on": "2026-01-10"}
    response = staff_client.post(reverse("cadres:evaluation_create"), data)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"performance", "integrity"}
    assert not Evaluation.objects.exists()
