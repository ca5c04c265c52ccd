"""Corrections (更正) in cadres ([6/10]): a recorded development stage, reserve step, post or
evaluation is corrected by its township with a required reason, kept in the record's history and
listed on its page with who, when and why. Every rule of the first recording is checked again at
its boundary (DESIGN §4: talk within a month, a year as activist, one year's probation, more than
half present and voting yes); a correction that would turn a passed vote into a failed one is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cadres import services
from cadres.models import (
    Committee,
    Development,
    DevelopmentCorrection,
    EvaluationCorrection,
    Position,
    Post,
    PostCorrection,
    ReserveCorrection,
)
from tests.cadres.factories import (
    DevelopmentFactory,
    EvaluationFactory,
    PersonFactory,
    PostFactory,
    ReserveCadreFactory,
)
from tests.helpers import database_unchanged

pytestmark = pytest.mark.django_db

REASON = "原记录日期抄错，依据支部大会记录本更正。"
REASON_REQUIRED = "更正须填写原因。"
NOTHING_CHANGED = "没有修改任何内容，无需更正。"
FLIPPED = "更正后的票数将使表决结果由“通过”变为“未通过”，不能作为更正办理："


def _member(village, **overrides):
    """A full member: applied 2023-01-10, talked 01-20, activist 02-01, candidate 2024-02-01 (a year
    on), admitted 2024-03-01 by 6 of 9 (7 present), probation to 2025-03-01, confirmed 2025-03-05 by
    7 of 9 (8 present)."""
    fields = {
        "village": village,
        "person": PersonFactory(home_village=village, name="次仁央宗", birth_date=dt.date(1990, 5, 1)),
        "stage": "full_member",
        "applied_on": dt.date(2023, 1, 10),
        "talked_on": dt.date(2023, 1, 20),
        "activist_on": dt.date(2023, 2, 1),
        "candidate_on": dt.date(2024, 2, 1),
        "admitted_on": dt.date(2024, 3, 1),
        "admission_due": 9,
        "admission_present": 7,
        "admission_yes": 6,
        "probation_ends_on": dt.date(2025, 3, 1),
        "confirmed_on": dt.date(2025, 3, 5),
        "confirmation_due": 9,
        "confirmation_present": 8,
        "confirmation_yes": 7,
    }
    return DevelopmentFactory(**(fields | overrides))


def _applicant(village):
    return DevelopmentFactory(
        village=village,
        person=PersonFactory(home_village=village, birth_date=dt.date(1990, 5, 1)),
        applied_on=dt.date(2023, 1, 10),
        talked_on=dt.date(2023, 1, 20),
    )


def _correct(development, staff, **values):
    return services.development_correct(development=development, user=staff, reason=REASON, **values)


def _message(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.messages)


def _form_data(record, **changes) -> dict:
    """What the correction form posts: the recorded values (as the prefilled form shows them) and
    ``changes``."""
    data = {}
    for name in services.correctable_fields(record):
        value = getattr(record, name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif hasattr(value, "public_id"):
            value = str(value.public_id)
        data[name] = "" if value is None else value
    return data | changes


# ---------------------------------------------------------------- development through the page


def test_the_form_offers_only_recorded_stages_prefilled(staff_client, village):
    development = _applicant(village)
    page = staff_client.get(reverse("cadres:development_correct", args=[development.public_id]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="talked_on"' in html and 'value="2023-01-20"' in html
    assert 'name="activist_on"' not in html and 'name="admission_yes"' not in html
    assert 'name="reason"' in html and 'name="csrfmiddlewaretoken"' in html


def test_a_corrected_confirmation_date_is_saved_and_shown_with_who_when_why(staff_client, staff, village):
    development = _member(village)
    url = reverse("cadres:development_correct", args=[development.public_id])
    response = staff_client.post(url, _form_data(development, confirmed_on="2025-03-10", reason=REASON))
    detail = reverse("cadres:development_detail", args=[development.public_id])
    assert response.status_code == 302 and response["Location"] == detail

    development.refresh_from_db()
    assert development.confirmed_on == dt.date(2025, 3, 10)
    correction = DevelopmentCorrection.objects.get()
    assert correction.corrected_by == staff and correction.reason == REASON
    assert correction.changes == {"confirmed_on": ["2025-03-05", "2025-03-10"]}
    assert development.history.first().history_change_reason == REASON

    page = staff_client.get(detail).content.decode()
    assert "已更正，原因已记录。" in page
    assert "更正记录" in page and REASON in page and staff.username in page
    assert correction.corrected_at.astimezone().strftime("%Y-%m-%d") in page
    assert "转正支部大会日期：2025-03-05 → 2025-03-10" in page


def test_a_blank_reason_is_refused_in_place_with_the_values_kept(staff_client, village):
    development = _member(village)
    url = reverse("cadres:development_correct", args=[development.public_id])
    with database_unchanged():
        response = staff_client.post(url, _form_data(development, confirmed_on="2025-03-10", reason="  "))
    assert response.status_code == 400
    html = response.content.decode()
    assert REASON_REQUIRED in html and 'value="2025-03-10"' in html
    development.refresh_from_db()
    assert development.confirmed_on == dt.date(2025, 3, 5)


def test_a_refused_rule_keeps_the_typed_values_and_the_reason(staff_client, village):
    development = _member(village)
    url = reverse("cadres:development_correct", args=[development.public_id])
    data = _form_data(development, confirmed_on="2025-02-28", reason=REASON)
    with database_unchanged():
        response = staff_client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "预备期满（2025-03-01）后才能讨论转正。" in html
    assert 'value="2025-02-28"' in html and REASON in html


def test_nothing_changed_is_not_a_correction(staff_client, village):
    development = _member(village)
    url = reverse("cadres:development_correct", args=[development.public_id])
    with database_unchanged():
        response = staff_client.post(url, _form_data(development, reason=REASON))
    assert response.status_code == 400 and NOTHING_CHANGED in response.content.decode()


def test_the_development_page_has_a_correct_link_beside_each_recorded_stage(staff_client, village):
    development = _member(village)
    html = staff_client.get(
        reverse("cadres:development_detail", args=[development.public_id])
    ).content.decode()
    url = reverse("cadres:development_correct", args=[development.public_id])
    for name in ("applied_on", "talked_on", "activist_on", "candidate_on", "admitted_on", "confirmed_on"):
        assert f'href="{url}#id_{name}"' in html


# ---------------------------------------------------------------- development rules at their boundaries


def test_the_talk_stays_within_a_month_of_the_application(staff, village):
    development = _applicant(village)
    with database_unchanged(), pytest.raises(ValidationError) as exc:
        _correct(development, staff, talked_on=dt.date(2023, 2, 11))
    assert _message(exc) == "支部应在收到入党申请后一个月内谈话（最迟2023-02-10）。"
    _correct(development, staff, talked_on=dt.date(2023, 2, 10))
    assert Development.objects.get().talked_on == dt.date(2023, 2, 10)


def test_the_talk_is_not_before_the_application(staff, village):
    development = _applicant(village)
    with pytest.raises(ValidationError) as exc:
        _correct(development, staff, talked_on=dt.date(2023, 1, 9))
    assert _message(exc) == "谈话日期不能早于申请日期。"
    _correct(development, staff, talked_on=dt.date(2023, 1, 10))


def test_the_applicant_is_still_eighteen_on_the_corrected_application_day(staff, village):
    development = _applicant(village)
    development.person.birth_date = dt.date(2005, 1, 10)
    development.person.save()
    with pytest.raises(ValidationError) as exc:
        _correct(development, staff, applied_on=dt.date(2023, 1, 9))
    assert _message(exc) == "申请入党须年满18周岁，申请日该人员未满18周岁。"
    _correct(development, staff, applied_on=dt.date(2023, 1, 11))  # 18 since 2023-01-10


def test_a_candidate_has_been_an_activist_for_a_year(staff, village):
    development = _member(village)
    with database_unchanged(), pytest.raises(ValidationError) as exc:
        _correct(development, staff, activist_on=dt.date(2023, 2, 2))
    assert _message(exc) == "确定为入党积极分子满一年后才能列为发展对象（最早2024-02-02）。"
    _correct(development, staff, activist_on=dt.date(2023, 1, 31))
    with pytest.raises(ValidationError) as exc:
        _correct(development, staff, candidate_on=dt.date(2024, 1, 30))
    assert _message(exc) == "确定为入党积极分子满一年后才能列为发展对象（最早2024-01-31）。"
    _correct(development, staff, candidate_on=dt.date(2024, 1, 31))


def test_stage_dates_stay_in_order(staff, village):
    development = _member(village)
    with pytest.raises(ValidationError) as exc:
        _correct(development, staff, admitted_on=dt.date(2024, 1, 31))
    assert _message(exc) == "日期不能早于上一环节的日期（2024-02-01）。"
    with pytest.raises(ValidationError) as exc:
        _correct(development, staff, activist_on=dt.date(2023, 1, 19))
    assert _message(exc) == "日期不能早于上一环节的日期（2023-01-20）。"


def test_probation_follows_the_corrected_admission_and_confirmation_waits_for_its_end(staff, village):
    development = _member(village)
    # Admitted 2024-03-06: probation would end 2025-03-06, after the confirmation on 2025-03-05.
    with database_unchanged(), pytest.raises(ValidationError) as exc:
        _correct(development, staff, admitted_on=dt.date(2024, 3, 6))
    assert _message(exc) == "预备期满（2025-03-06）后才能讨论转正。"
    correction = _correct(development, staff, admitted_on=dt.date(2024, 3, 5))
    development.refresh_from_db()
    assert development.probation_ends_on == dt.date(2025, 3, 5)
    assert correction.changes == {
        "admitted_on": ["2024-03-01", "2024-03-05"],
        "probation_ends_on": ["2025-03-01", "2025-03-05"],
    }


def test_the_membership_follows_corrected_admission_and_confirmation_dates(staff, village):
    """The member counts in the branch from the corrected admission day and as full from the
    corrected confirmation day (one rule: the development record; cadres/membership.py)."""
    from cadres.membership import admit_membership, confirm_membership
    from cadres.selectors import branch_member_counts
    from villages.models import PartyBranch

    development = _member(village)
    admit_membership(development=development, on=dt.date(2024, 3, 1))
    membership = confirm_membership(development=development, on=dt.date(2025, 3, 5))
    branch = PartyBranch.objects.get(village=village, kind="village")

    _correct(development, staff, admitted_on=dt.date(2024, 2, 28), confirmed_on=dt.date(2025, 3, 10))
    membership.refresh_from_db()
    assert (membership.joined_on, membership.full_since) == (dt.date(2024, 2, 28), dt.date(2025, 3, 10))
    # 2025-03-09: still probationary; 2025-03-10: full.
    assert branch_member_counts([branch.pk], on=dt.date(2025, 3, 9))[branch.pk] == (0, 1)
    assert branch_member_counts([branch.pk], on=dt.date(2025, 3, 10))[branch.pk] == (1, 0)


def test_a_corrected_extension_moves_probations_end(staff, village):
    development = _member(
        village,
        extended_on=dt.date(2025, 2, 1),
        extension_months=6,
        probation_ends_on=dt.date(2025, 9, 1),
        confirmed_on=dt.date(2025, 9, 10),
    )
    with pytest.raises(ValidationError) as exc:
        _correct(development, staff, extension_months=13)
    assert _message(exc) == "预备期延长时间须为6至12个月。"
    with pytest.raises(ValidationError) as exc:
        _correct(development, staff, extended_on=dt.date(2025, 3, 2))
    assert _message(exc) == "延长预备期须在原预备期满前决定（原预备期满2025-03-01）。"
    with pytest.raises(ValidationError) as exc:
        _correct(development, staff, extension_months=7)  # would end 2025-10-01, after 09-10
    assert _message(exc) == "预备期满（2025-10-01）后才能讨论转正。"
    _correct(development, staff, extended_on=dt.date(2025, 3, 1))
    assert Development.objects.get().probation_ends_on == dt.date(2025, 9, 1)


def test_a_quorum_or_majority_lost_by_correction_is_refused_as_a_flipped_outcome(staff, village):
    development = _member(village)  # 9 due: more than half is 5
    with database_unchanged(), pytest.raises(ValidationError) as exc:
        _correct(development, staff, admission_present=4, admission_yes=4)
    assert _message(exc).startswith(FLIPPED)
    assert "至少5人" in _message(exc)
    with pytest.raises(ValidationError) as exc:
        _correct(development, staff, confirmation_yes=4)
    assert _message(exc).startswith(FLIPPED) and "至少5票" in _message(exc)
    _correct(development, staff, admission_present=5, admission_yes=5)
    _correct(development, staff, confirmation_yes=5)
    development.refresh_from_db()
    assert (development.admission_present, development.admission_yes, development.confirmation_yes) == (
        5,
        5,
        5,
    )


def test_more_yes_votes_than_present_is_refused_on_its_field(staff, village):
    development = _member(village)
    with pytest.raises(ValidationError) as exc:
        _correct(development, staff, admission_yes=8)
    assert exc.value.message_dict == {"admission_yes": ["赞成票不能多于实到人数。"]}
    with pytest.raises(ValidationError) as exc:
        _correct(development, staff, confirmation_present=10)
    assert exc.value.message_dict == {"confirmation_present": ["实到人数不能多于应到人数。"]}


def test_a_stage_not_yet_reached_cannot_be_corrected(staff, village):
    development = _applicant(village)
    with pytest.raises(ValueError):
        _correct(development, staff, activist_on=dt.date(2023, 2, 1))


def test_a_reason_is_required_by_the_service_too(staff, village):
    development = _member(village)
    with database_unchanged(), pytest.raises(ValidationError) as exc:
        services.development_correct(
            development=development, user=staff, reason=" ", confirmed_on=dt.date(2025, 3, 10)
        )
    assert exc.value.message_dict == {"reason": [REASON_REQUIRED]}


def test_another_township_cannot_correct_even_through_the_service(outsider, official, village):
    development = _member(village)
    for user in (outsider, official):
        with pytest.raises(PermissionDenied):
            _correct(development, user, confirmed_on=dt.date(2025, 3, 10))


# ---------------------------------------------------------------- reserve cadres


def _paired(village):
    mentor = PostFactory(village=village, person__name="格桑书记", start_date=dt.date(2021, 4, 1)).person
    reserve = ReserveCadreFactory(
        village=village,
        recommended_on=dt.date(2026, 3, 1),
        reviewed_on=dt.date(2026, 3, 10),
        decided_on=dt.date(2026, 3, 20),
        paired_on=dt.date(2026, 4, 1),
        stage="paired",
        mentor=mentor,
    )
    return reserve, mentor


def test_a_reserve_mentor_is_corrected_and_shown(staff_client, staff, village):
    reserve, _mentor = _paired(village)
    other = PostFactory(
        village=village,
        person__name="达瓦委员",
        committee=Committee.BRANCH,
        position=Position.ORGANISATION,
        start_date=dt.date(2026, 4, 1),
        term_end=dt.date(2031, 4, 1),
    ).person
    url = reverse("cadres:reserve_correct", args=[reserve.public_id])
    response = staff_client.post(url, _form_data(reserve, mentor=str(other.public_id), reason=REASON))
    assert response.status_code == 302
    reserve.refresh_from_db()
    assert reserve.mentor == other
    assert ReserveCorrection.objects.get().changes == {"mentor": ["格桑书记", "达瓦委员"]}
    page = staff_client.get(reverse("cadres:reserve_detail", args=[reserve.public_id])).content.decode()
    assert "结对帮带干部：格桑书记 → 达瓦委员" in page and REASON in page


def test_a_reserve_mentor_holds_a_post_on_the_pairing_day_and_is_not_the_reserve(staff, village):
    reserve, _mentor = _paired(village)
    late = PostFactory(
        village=village,
        position=Position.ORGANISATION,
        start_date=dt.date(2026, 4, 2),
        term_end=dt.date(2031, 4, 2),
    ).person
    with pytest.raises(ValidationError) as exc:
        services.reserve_correct(reserve=reserve, user=staff, reason=REASON, mentor=late)
    assert exc.value.message_dict == {"mentor": ["帮带干部须在结对日有在任职务。"]}
    with pytest.raises(ValidationError) as exc:
        services.reserve_correct(reserve=reserve, user=staff, reason=REASON, mentor=reserve.person)
    assert exc.value.message_dict == {"mentor": ["帮带干部不能是后备干部本人。"]}
    # Pairing on the day the late post starts makes it valid.
    services.reserve_correct(
        reserve=reserve, user=staff, reason=REASON, mentor=late, paired_on=dt.date(2026, 4, 2)
    )


def test_reserve_steps_stay_in_order(staff, village):
    reserve, _mentor = _paired(village)
    with pytest.raises(ValidationError) as exc:
        services.reserve_correct(reserve=reserve, user=staff, reason=REASON, reviewed_on=dt.date(2026, 2, 28))
    assert exc.value.message_dict == {"reviewed_on": ["日期不能早于上一环节的日期（2026-03-01）。"]}
    with pytest.raises(ValidationError) as exc:
        services.reserve_correct(reserve=reserve, user=staff, reason=REASON, decided_on=dt.date(2026, 4, 2))
    assert exc.value.message_dict == {"paired_on": ["日期不能早于上一环节的日期（2026-04-02）。"]}
    services.reserve_correct(reserve=reserve, user=staff, reason=REASON, reviewed_on=dt.date(2026, 3, 1))


# ---------------------------------------------------------------- posts


def test_an_ended_posts_end_date_is_corrected_and_listed_on_the_person_page(staff_client, staff, village):
    post = PostFactory(village=village, start_date=dt.date(2021, 4, 1), end_date=dt.date(2024, 6, 30))
    url = reverse("cadres:post_correct", args=[post.public_id])
    response = staff_client.post(url, _form_data(post, end_date="2024-07-31", reason=REASON))
    person_page = reverse("cadres:person_detail", args=[post.person.public_id])
    assert response.status_code == 302 and response["Location"] == person_page + "#posts"
    post.refresh_from_db()
    assert post.end_date == dt.date(2024, 7, 31)
    assert PostCorrection.objects.get().corrected_by == staff
    html = staff_client.get(person_page).content.decode()
    assert "任职更正记录" in html and "离任日期：2024-06-30 → 2024-07-31" in html
    assert f'href="{url}"' in html


def test_a_post_ends_on_or_after_its_start(staff, village):
    post = PostFactory(village=village, start_date=dt.date(2021, 4, 1), end_date=dt.date(2024, 6, 30))
    with pytest.raises(ValidationError) as exc:
        services.post_correct(post=post, user=staff, reason=REASON, end_date=dt.date(2021, 3, 31))
    assert exc.value.message_dict == {"end_date": ["离任日期不能早于任职日期。"]}
    services.post_correct(post=post, user=staff, reason=REASON, end_date=dt.date(2021, 4, 1))


def test_a_corrected_secretary_may_not_overlap_the_next_one(staff, village):
    first = PostFactory(village=village, start_date=dt.date(2016, 4, 1), end_date=dt.date(2021, 3, 30))
    PostFactory(village=village, person__name="顿珠", start_date=dt.date(2021, 4, 1))
    with database_unchanged(), pytest.raises(ValidationError) as exc:
        services.post_correct(post=first, user=staff, reason=REASON, end_date=dt.date(2021, 4, 1))
    assert exc.value.message_dict == {
        "start_date": [f"{village.name}在该期间已有书记（顿珠），任职期间不能重叠。"]
    }
    services.post_correct(post=first, user=staff, reason=REASON, end_date=dt.date(2021, 3, 31))
    assert Post.objects.get(pk=first.pk).end_date == dt.date(2021, 3, 31)


def test_a_post_correction_keeps_the_years_its_evaluations_rely_on(staff, village):
    post = PostFactory(village=village, start_date=dt.date(2021, 4, 1), end_date=dt.date(2025, 6, 30))
    EvaluationFactory(village=village, person=post.person, year=2025)
    with database_unchanged(), pytest.raises(ValidationError) as exc:
        services.post_correct(post=post, user=staff, reason=REASON, end_date=dt.date(2024, 12, 31))
    assert _message(exc) == f"{post.person.name}2025年的两述一评以该任职为依据，更正后该年度不在任职期间内。"
    services.post_correct(post=post, user=staff, reason=REASON, end_date=dt.date(2025, 1, 1))


# ---------------------------------------------------------------- evaluations


def test_an_evaluation_rating_is_corrected_and_listed_on_the_person_page(staff_client, village):
    evaluation = EvaluationFactory(village=village, year=2025, performance="competent")
    PostFactory(village=village, person=evaluation.person)
    url = reverse("cadres:evaluation_correct", args=[evaluation.public_id])
    response = staff_client.post(url, _form_data(evaluation, performance="excellent", reason=REASON))
    assert response.status_code == 302
    assert EvaluationCorrection.objects.get().changes == {"performance": ["competent", "excellent"]}
    html = staff_client.get(
        reverse("cadres:person_detail", args=[evaluation.person.public_id])
    ).content.decode()
    assert "两述一评更正记录" in html and "述职评议：称职 → 优秀" in html and REASON in html


def test_an_evaluation_date_is_not_before_its_year(staff, village):
    evaluation = EvaluationFactory(village=village, year=2025)
    with pytest.raises(ValidationError) as exc:
        services.evaluation_correct(
            evaluation=evaluation, user=staff, reason=REASON, evaluated_on=dt.date(2024, 12, 31)
        )
    assert exc.value.message_dict == {"evaluated_on": ["评议日期不能早于所评年度（2025年）。"]}
    services.evaluation_correct(
        evaluation=evaluation, user=staff, reason=REASON, evaluated_on=dt.date(2025, 1, 1)
    )


# ---------------------------------------------------------------- who may correct


def _urls(village):
    development = _member(village)
    reserve, _mentor = _paired(village)
    post = PostFactory(village=village, position=Position.ORGANISATION)
    evaluation = EvaluationFactory(village=village)
    return [
        reverse("cadres:development_correct", args=[development.public_id]),
        reverse("cadres:reserve_correct", args=[reserve.public_id]),
        reverse("cadres:post_correct", args=[post.public_id]),
        reverse("cadres:evaluation_correct", args=[evaluation.public_id]),
    ]


def test_another_township_gets_404(outsider_client, village):
    for url in _urls(village):
        assert outsider_client.get(url).status_code == 404
        with database_unchanged():
            assert outsider_client.post(url, {"reason": REASON}).status_code == 404


def test_a_county_official_reads_corrections_but_cannot_correct(official_client, staff, village):
    development = _member(village)
    _correct(development, staff, confirmed_on=dt.date(2025, 3, 10))
    for url in _urls(village):
        assert official_client.get(url).status_code == 403
        with database_unchanged():
            assert official_client.post(url, {"reason": REASON}).status_code == 403
    html = official_client.get(
        reverse("cadres:development_detail", args=[development.public_id])
    ).content.decode()
    assert REASON in html and "转正支部大会日期：2025-03-05 → 2025-03-10" in html
    assert reverse("cadres:development_correct", args=[development.public_id]) not in html


def test_the_development_page_keeps_its_query_count(
    staff_client, staff, village, django_assert_max_num_queries
):
    development = _member(village)
    url = reverse("cadres:development_detail", args=[development.public_id])
    _correct(development, staff, confirmed_on=dt.date(2025, 3, 10))
    with django_assert_max_num_queries(30) as one:
        staff_client.get(url)
    for day in range(11, 16):
        development.refresh_from_db()
        _correct(development, staff, confirmed_on=dt.date(2025, 3, day))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert staff_client.get(url).content.decode().count(REASON) == 6
