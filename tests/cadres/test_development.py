"""Party-member development: each transition's rules at their boundaries (DESIGN §4)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cadres import services
from cadres.models import Development, DevelopmentStage
from tests.cadres.factories import PersonFactory

pytestmark = pytest.mark.django_db

APPLIED = dt.date(2023, 3, 1)


def _messages(exc) -> list[str]:
    return exc.value.messages


@pytest.fixture
def applicant(village):
    person = PersonFactory(home_village=village, birth_date=dt.date(1995, 1, 1))
    return services.development_apply(person=person, village=village, applied_on=APPLIED)


@pytest.fixture
def activist(applicant):
    services.development_record_talk(development=applicant, talked_on=dt.date(2023, 3, 20))
    return services.development_make_activist(development=applicant, on=dt.date(2023, 4, 1))


@pytest.fixture
def candidate(activist):
    return services.development_make_candidate(development=activist, on=dt.date(2024, 4, 1))


@pytest.fixture
def probationary(candidate):
    return services.development_admit(
        development=candidate, on=dt.date(2024, 6, 1), due=20, present=11, yes=11
    )


def test_an_applicant_must_be_18_on_the_day_of_application(village):
    person = PersonFactory(home_village=village, birth_date=dt.date(2005, 3, 2))
    with pytest.raises(ValidationError) as exc:
        services.development_apply(person=person, village=village, applied_on=dt.date(2023, 3, 1))
    assert _messages(exc) == [services.DEV_UNDER_AGE]
    development = services.development_apply(person=person, village=village, applied_on=dt.date(2023, 3, 2))
    assert development.stage == DevelopmentStage.APPLICANT


def test_the_branch_talk_is_due_within_one_month(applicant):
    with pytest.raises(ValidationError) as exc:
        services.development_record_talk(development=applicant, talked_on=dt.date(2023, 4, 2))
    assert _messages(exc) == [services.DEV_TALK_LATE % {"latest": "2023-04-01"}]
    services.development_record_talk(development=applicant, talked_on=dt.date(2023, 4, 1))


def test_a_month_after_the_last_day_of_january_is_the_last_day_of_february(village):
    person = PersonFactory(home_village=village, birth_date=dt.date(1995, 1, 1))
    late = services.development_apply(person=person, village=village, applied_on=dt.date(2023, 1, 31))
    with pytest.raises(ValidationError) as exc:
        services.development_record_talk(development=late, talked_on=dt.date(2023, 3, 1))
    assert _messages(exc) == [services.DEV_TALK_LATE % {"latest": "2023-02-28"}]
    services.development_record_talk(development=late, talked_on=dt.date(2023, 2, 28))


def test_an_applicant_becomes_an_activist_only_after_the_branch_talk(applicant):
    with pytest.raises(ValidationError) as exc:
        services.development_make_activist(development=applicant, on=dt.date(2023, 4, 1))
    assert _messages(exc) == [services.DEV_NO_TALK]
    assert Development.objects.get().stage == DevelopmentStage.APPLICANT
    services.development_record_talk(development=applicant, talked_on=dt.date(2023, 3, 20))
    with pytest.raises(ValidationError) as exc:
        services.development_make_activist(development=applicant, on=dt.date(2023, 3, 19))
    assert _messages(exc) == [services.DEV_DATE_BACKWARDS % {"previous": "2023-03-20"}]
    services.development_make_activist(development=applicant, on=dt.date(2023, 3, 20))
    assert Development.objects.get().stage == DevelopmentStage.ACTIVIST


def test_stages_cannot_be_skipped(applicant):
    with pytest.raises(ValidationError) as exc:
        services.development_make_candidate(development=applicant, on=dt.date(2025, 1, 1))
    assert _messages(exc) == [
        services.DEV_WRONG_STAGE % {"current": "入党申请人", "required": "入党积极分子"}
    ]
    assert Development.objects.get().stage == DevelopmentStage.APPLICANT


def test_an_activist_needs_a_full_year_before_becoming_a_candidate(activist):
    with pytest.raises(ValidationError) as exc:
        services.development_make_candidate(development=activist, on=dt.date(2024, 3, 31))
    assert _messages(exc) == [services.DEV_ACTIVIST_TOO_SHORT % {"earliest": "2024-04-01"}]
    assert (
        services.development_make_candidate(development=activist, on=dt.date(2024, 4, 1)).stage == "candidate"
    )


@pytest.mark.parametrize(
    ("due", "present", "yes", "error"),
    [
        (20, 10, 10, services.DEV_QUORUM % {"due": 20, "needed": 11}),
        (20, 11, 10, services.DEV_VOTES % {"due": 20, "needed": 11}),
        (21, 11, 11, None),
        (20, 11, 11, None),
        (20, 21, 11, services.DEV_PRESENT_OVER_DUE),
        (20, 12, 13, services.DEV_YES_OVER_PRESENT),
    ],
)
def test_admission_needs_more_than_half_present_and_voting_yes(candidate, due, present, yes, error):
    on = dt.date(2024, 6, 1)
    if error:
        with pytest.raises(ValidationError) as exc:
            services.development_admit(development=candidate, on=on, due=due, present=present, yes=yes)
        assert _messages(exc) == [error]
        assert Development.objects.get().stage == DevelopmentStage.CANDIDATE
    else:
        development = services.development_admit(
            development=candidate, on=on, due=due, present=present, yes=yes
        )
        assert development.probation_ends_on == dt.date(2025, 6, 1)


def test_conversion_waits_until_probation_is_over(probationary):
    with pytest.raises(ValidationError) as exc:
        services.development_confirm(
            development=probationary, on=dt.date(2025, 5, 31), due=20, present=15, yes=15
        )
    assert _messages(exc) == [services.DEV_PROBATION_NOT_OVER % {"end": "2025-06-01"}]
    development = services.development_confirm(
        development=probationary, on=dt.date(2025, 6, 1), due=20, present=15, yes=15
    )
    assert development.stage == DevelopmentStage.FULL_MEMBER


@pytest.mark.parametrize(
    ("months", "ends"),
    [(5, None), (6, dt.date(2025, 12, 1)), (7, dt.date(2026, 1, 1)), (12, dt.date(2026, 6, 1)), (13, None)],
)
def test_probation_extends_by_6_to_12_months(probationary, months, ends):
    on = dt.date(2025, 5, 1)
    if ends:
        development = services.development_extend_probation(development=probationary, on=on, months=months)
        # Probation first ended on 2025-06-01; the extension counts from there.
        assert development.probation_ends_on == ends
    else:
        with pytest.raises(ValidationError) as exc:
            services.development_extend_probation(development=probationary, on=on, months=months)
        assert _messages(exc) == [services.DEV_EXTENSION_RANGE]


def test_probation_extends_only_once(probationary):
    services.development_extend_probation(development=probationary, on=dt.date(2025, 5, 1), months=6)
    with pytest.raises(ValidationError) as exc:
        services.development_extend_probation(development=probationary, on=dt.date(2025, 6, 1), months=6)
    assert _messages(exc) == [services.DEV_ALREADY_EXTENDED]


def test_an_extension_is_decided_before_probation_ends(probationary):
    with pytest.raises(ValidationError):
        services.development_extend_probation(development=probationary, on=dt.date(2025, 6, 2), months=6)
    services.development_extend_probation(development=probationary, on=dt.date(2025, 6, 1), months=6)


def test_a_probation_past_its_end_without_decision_is_overdue(probationary):
    assert not probationary.is_overdue_on(dt.date(2025, 6, 1))
    assert probationary.is_overdue_on(dt.date(2025, 6, 2))
    services.development_confirm(development=probationary, on=dt.date(2025, 6, 2), due=20, present=15, yes=15)
    assert not probationary.is_overdue_on(dt.date(2025, 6, 3))
