"""The rules of village compact versions (compacts.services), each at its boundary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compacts import services
from compacts.models import CompactCorrection, CompactVersion, Kind
from decisions.models import Matter
from tests.compacts.factories import CompactVersionFactory, resolved_matter

pytestmark = pytest.mark.django_db

TEXT = "一、爱护草场和林地。\n二、红白喜事从简。"


def _create(village, staff, **kwargs):
    values = {"kind": Kind.RULES, "text": TEXT, "adopted_on": dt.date(2024, 5, 10), **kwargs}
    return services.version_create(village=village, user=staff, **values)


def _message(exc: ValidationError, field: str) -> str:
    return " ".join(exc.message_dict[field])


# ---------------------------------------------------------------- ordering


def test_a_version_adopted_the_day_after_the_latest_becomes_current(village, staff):
    CompactVersionFactory(village=village, adopted_on=dt.date(2019, 6, 1))
    version = _create(village, staff, adopted_on=dt.date(2019, 6, 2))
    latest = CompactVersion.objects.filter(village=village, kind=Kind.RULES).order_by("-adopted_on").first()
    assert latest == version, "the latest adopted version is the current one"


def test_a_version_adopted_the_day_before_the_latest_is_refused_and_nothing_saved(village, staff):
    CompactVersionFactory(village=village, adopted_on=dt.date(2019, 6, 1))
    CompactVersionFactory(village=village, adopted_on=dt.date(2023, 3, 15))
    with pytest.raises(ValidationError) as caught:
        _create(village, staff, adopted_on=dt.date(2023, 3, 14))
    assert "2023-03-15" in _message(caught.value, "adopted_on")
    assert "不能在较新的版本之后补录较早的版本" in _message(caught.value, "adopted_on")
    assert CompactVersion.objects.filter(village=village).count() == 2


def test_a_version_between_two_earlier_versions_is_refused_too(village, staff):
    CompactVersionFactory(village=village, adopted_on=dt.date(2015, 1, 1))
    CompactVersionFactory(village=village, adopted_on=dt.date(2023, 3, 15))
    with pytest.raises(ValidationError):
        _create(village, staff, adopted_on=dt.date(2019, 6, 1))


def test_a_version_on_the_same_date_as_the_latest_is_refused(village, staff):
    CompactVersionFactory(village=village, adopted_on=dt.date(2023, 3, 15))
    with pytest.raises(ValidationError) as caught:
        _create(village, staff, adopted_on=dt.date(2023, 3, 15))
    assert _message(caught.value, "adopted_on") == "本村已有2023-03-15通过的村规民约版本。"
    assert CompactVersion.objects.filter(village=village).count() == 1


def test_the_ordering_is_per_kind_and_per_village(village, other_village, staff, outsider):
    CompactVersionFactory(village=village, kind=Kind.RULES, adopted_on=dt.date(2023, 3, 15))
    CompactVersionFactory(village=other_village, kind=Kind.CIVILITY, adopted_on=dt.date(2024, 1, 1))
    # An earlier 文明公约 of the same village, and the same date in another village: both fine.
    _create(village, staff, kind=Kind.CIVILITY, adopted_on=dt.date(2019, 6, 1))
    _create(other_village, outsider, kind=Kind.RULES, adopted_on=dt.date(2023, 3, 15))


def test_the_database_refuses_two_versions_of_one_village_and_kind_on_one_day(village):
    from django.db import IntegrityError, transaction

    CompactVersionFactory(village=village, adopted_on=dt.date(2023, 3, 15))
    with pytest.raises(IntegrityError), transaction.atomic():
        CompactVersion.objects.create(
            village=village,
            kind=Kind.RULES,
            text=TEXT,
            adopted_on=dt.date(2023, 3, 15),
            recorded_by=village.compact_versions.get().recorded_by,
        )


def test_an_adopted_date_in_the_future_is_refused(village, staff):
    from django.utils import timezone

    today = timezone.localdate()
    _create(village, staff, adopted_on=today)
    with pytest.raises(ValidationError) as caught:
        _create(village, staff, kind=Kind.CIVILITY, adopted_on=today + dt.timedelta(days=1))
    assert _message(caught.value, "adopted_on") == "通过日期不能晚于今天。"


# ---------------------------------------------------------------- the adopting matter


def test_a_matter_resolved_on_the_adopted_date_adopts_the_version(village, staff):
    matter = resolved_matter(village, resolved_on=dt.date(2024, 5, 10))
    version = _create(village, staff, adopted_on=dt.date(2024, 5, 10), matter=matter)
    assert version.matter == matter


@pytest.mark.parametrize("state", [Matter.State.DISCLOSED, Matter.State.COMPLETED])
def test_a_matter_whose_resolution_was_disclosed_adopts_too(village, staff, state):
    matter = resolved_matter(village, resolved_on=dt.date(2024, 5, 1), state=state)
    assert _create(village, staff, matter=matter).matter == matter


def test_a_matter_resolved_the_day_after_the_adopted_date_is_refused(village, staff):
    matter = resolved_matter(village, resolved_on=dt.date(2024, 5, 11))
    with pytest.raises(ValidationError) as caught:
        _create(village, staff, adopted_on=dt.date(2024, 5, 10), matter=matter)
    assert _message(caught.value, "matter") == "所选事项的决议日期（2024-05-11）晚于通过日期。"
    assert not CompactVersion.objects.exists()


def test_a_matter_of_another_village_is_refused(village, other_village, staff):
    matter = resolved_matter(other_village, resolved_on=dt.date(2024, 5, 1))
    with pytest.raises(ValidationError) as caught:
        _create(village, staff, matter=matter)
    assert _message(caught.value, "matter") == "所选“四议两公开”事项不属于该村。"
    assert not CompactVersion.objects.exists()


@pytest.mark.parametrize(
    "state", [Matter.State.NEW, Matter.State.PROPOSED, Matter.State.REVIEWED, Matter.State.REJECTED]
)
def test_a_matter_that_has_not_reached_its_resolution_is_refused(village, staff, state):
    matter = resolved_matter(village, resolved_on=None, state=state)
    with pytest.raises(ValidationError) as caught:
        _create(village, staff, matter=matter)
    assert _message(caught.value, "matter") == "所选“四议两公开”事项尚未形成决议，不能作为通过依据。"
    assert not CompactVersion.objects.exists()


# ---------------------------------------------------------------- personal data and permission


@pytest.mark.parametrize(
    "typed",
    ["联系人电话13812345678", "联系电话 138-1234-5678", "身份证号513301198001011234", "电话0836-2812345"],
)
def test_an_id_or_phone_number_in_the_text_is_refused(village, staff, typed):
    with pytest.raises(ValidationError) as caught:
        _create(village, staff, text=f"{TEXT}\n{typed}")
    assert _message(caught.value, "text") == "请勿填写身份证号码或电话号码：此内容会公开或导出。"
    assert not CompactVersion.objects.exists()


def test_dates_and_article_numbers_in_the_text_are_not_personal_data(village, staff):
    # 8 digits (a date) and 12 digits (a division code) are neither phone nor ID numbers.
    _create(village, staff, text="20190601通过。区划代码513301101201。第3条。")


def test_only_the_village_s_own_township_staff_record_a_version(village, outsider, official, admin_user):
    for user in (outsider, official, admin_user):
        with pytest.raises(PermissionDenied):
            _create(village, user)
    assert not CompactVersion.objects.exists()


# ---------------------------------------------------------------- corrections


def test_a_correction_changes_text_and_date_and_records_who_why_and_what(village, staff):
    CompactVersionFactory(village=village, adopted_on=dt.date(2015, 1, 1))
    version = CompactVersionFactory(village=village, adopted_on=dt.date(2019, 6, 1), text="旧文本")
    CompactVersionFactory(village=village, adopted_on=dt.date(2023, 3, 15))
    correction = services.version_correct(
        version=version,
        user=staff,
        record_version=version.version,
        text="新文本",
        adopted_on=dt.date(2019, 6, 2),
        reason="录入时日期看错",
    )
    version.refresh_from_db()
    assert (version.text, version.adopted_on) == ("新文本", dt.date(2019, 6, 2))
    assert correction.changes == {"text": ["旧文本", "新文本"], "adopted_on": ["2019-06-01", "2019-06-02"]}
    assert correction.corrected_by == staff and correction.reason == "录入时日期看错"


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (dt.date(2015, 1, 1), "更正后的通过日期须晚于上一版本的通过日期（2015-01-01）。"),
        (dt.date(2023, 3, 15), "更正后的通过日期须早于下一版本的通过日期（2023-03-15）。"),
    ],
)
def test_a_correction_keeps_the_date_between_its_neighbours(village, staff, day, message):
    CompactVersionFactory(village=village, adopted_on=dt.date(2015, 1, 1))
    version = CompactVersionFactory(village=village, adopted_on=dt.date(2019, 6, 1))
    CompactVersionFactory(village=village, adopted_on=dt.date(2023, 3, 15))
    with pytest.raises(ValidationError) as caught:
        services.version_correct(
            version=version,
            user=staff,
            record_version=None,
            text=version.text,
            adopted_on=day,
            reason="改日期",
        )
    assert _message(caught.value, "adopted_on") == message
    assert not CompactCorrection.objects.exists()
    # One day inside either neighbour is accepted.
    for inside in (dt.date(2015, 1, 2), dt.date(2023, 3, 14)):
        services.version_correct(
            version=version,
            user=staff,
            record_version=None,
            text=version.text,
            adopted_on=inside,
            reason="改日期",
        )


def test_a_correction_needs_a_reason_and_a_change(village, staff):
    version = CompactVersionFactory(village=village)
    with pytest.raises(ValidationError):
        services.version_correct(
            version=version,
            user=staff,
            record_version=None,
            text="新文本",
            adopted_on=version.adopted_on,
            reason=" ",
        )
    with pytest.raises(ValidationError) as caught:
        services.version_correct(
            version=version,
            user=staff,
            record_version=None,
            text=version.text,
            adopted_on=version.adopted_on,
            reason="无",
        )
    assert caught.value.messages == ["没有修改任何内容，无需更正。"]
    assert not CompactCorrection.objects.exists()


def test_a_correction_may_not_move_the_date_before_the_adopting_matter_s_resolution(village, staff):
    matter = resolved_matter(village, resolved_on=dt.date(2024, 5, 10))
    version = CompactVersionFactory(village=village, adopted_on=dt.date(2024, 5, 12), matter=matter)
    with pytest.raises(ValidationError):
        services.version_correct(
            version=version,
            user=staff,
            record_version=None,
            text=version.text,
            adopted_on=dt.date(2024, 5, 9),
            reason="改",
        )
