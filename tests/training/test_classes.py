"""Classes and attendance: bad input refused with clear errors and nothing saved, who writes and
who reads (404 outside, 403 for read-only), export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cadres.models import Committee, Position
from tests.cadres.factories import PersonFactory, PostFactory
from tests.factories import CountyFactory, TownshipFactory, VillageFactory
from tests.training.factories import AttendanceFactory, StationingFactory, TrainingClassFactory
from training import services
from training.models import Attendance, AttendanceStatus, Audience, TrainingClass

pytestmark = pytest.mark.django_db

CLASS_DATA = {
    "title": "村党组织书记示范培训班",
    "start_date": "2026-05-10",
    "end_date": "2026-05-12",
    "place": "县委党校",
    "hours": "16",
    "audience": ["secretary", "director"],
}


# ---------------------------------------------------------------- creating and editing


def test_a_county_official_creates_a_county_class(official_client, county):
    response = official_client.post(reverse("training:class_new"), CLASS_DATA)
    assert response.status_code == 302, response.content.decode()[:3000]
    training_class = TrainingClass.objects.get()
    assert (training_class.county, training_class.township) == (county, None)
    assert training_class.audience == ["secretary", "director"]
    assert training_class.history.get().history_user.username == "official"


def test_township_staff_create_a_class_of_their_township(staff_client, township):
    assert staff_client.post(reverse("training:class_new"), CLASS_DATA).status_code == 302
    assert TrainingClass.objects.get().township == township


def test_a_class_ending_before_it_starts_is_refused_and_nothing_saved(official_client):
    data = {**CLASS_DATA, "start_date": "2026-05-10", "end_date": "2026-05-09"}
    response = official_client.post(reverse("training:class_new"), data)
    assert response.status_code == 400
    assert "结业日期不能早于开班日期。" in response.content.decode()
    assert 'value="村党组织书记示范培训班"' in response.content.decode(), "keeps what was typed"
    assert not TrainingClass.objects.exists()


def test_a_class_of_one_day_is_accepted(official_client):
    data = {**CLASS_DATA, "start_date": "2026-05-10", "end_date": "2026-05-10"}
    assert official_client.post(reverse("training:class_new"), data).status_code == 302


def test_the_service_and_the_database_refuse_an_end_before_the_start(official, county):
    with pytest.raises(ValidationError) as exc:
        services.class_create(
            user=official,
            county=county,
            title="x",
            start_date=dt.date(2026, 5, 10),
            end_date=dt.date(2026, 5, 9),
            place="x",
            hours=8,
            audience=["secretary"],
        )
    assert exc.value.message_dict == {"end_date": ["结业日期不能早于开班日期。"]}
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingClassFactory(county=county, start_date=dt.date(2026, 5, 10), end_date=dt.date(2026, 5, 9))


@pytest.mark.parametrize(("hours", "ok"), [("0.4", False), ("0.5", True), ("500", True), ("500.1", False)])
def test_hours_are_bounded(official_client, hours, ok):
    response = official_client.post(reverse("training:class_new"), {**CLASS_DATA, "hours": hours})
    assert response.status_code == (302 if ok else 400)
    assert TrainingClass.objects.exists() is ok


def test_a_class_needs_an_audience(official_client):
    data = {k: v for k, v in CLASS_DATA.items() if k != "audience"}
    assert official_client.post(reverse("training:class_new"), data).status_code == 400
    assert not TrainingClass.objects.exists()


def test_an_edit_saved_meanwhile_is_not_overwritten(official_client, county):
    training_class = TrainingClassFactory(county=county)
    url = reverse("training:class_edit", args=[training_class.public_id])
    TrainingClass.objects.filter(pk=training_class.pk).update(version=2)
    response = official_client.post(url, {**CLASS_DATA, "version": 1})
    assert response.status_code == 400
    training_class.refresh_from_db()
    assert training_class.title != CLASS_DATA["title"]
    assert official_client.post(url, {**CLASS_DATA, "version": 2}).status_code == 302


# ---------------------------------------------------------------- scoping


@pytest.fixture
def county_class(county):
    return TrainingClassFactory(county=county)


@pytest.fixture
def township_class(county, township):
    return TrainingClassFactory(county=county, township=township)


def test_another_township_does_not_see_a_township_class(outsider_client, township_class):
    for name in ("class_detail", "class_edit", "class_attendance"):
        assert (
            outsider_client.get(reverse(f"training:{name}", args=[township_class.public_id])).status_code
            == 404
        )
    assert township_class.title not in outsider_client.get(reverse("training:class_list")).content.decode()


def test_another_county_sees_nothing(county_class):
    from django.test import Client

    from tests.factories import CountyOfficialFactory

    client = Client()
    client.force_login(CountyOfficialFactory(county=CountyFactory()))
    assert client.get(reverse("training:class_detail", args=[county_class.public_id])).status_code == 404


def test_township_staff_read_the_county_class_but_may_not_change_it(staff_client, county_class):
    assert (
        staff_client.get(reverse("training:class_detail", args=[county_class.public_id])).status_code == 200
    )
    assert staff_client.get(reverse("training:class_edit", args=[county_class.public_id])).status_code == 403
    url = reverse("training:class_attendance", args=[county_class.public_id])
    assert staff_client.post(url, {}).status_code == 403


def test_the_county_reads_a_township_class_but_may_not_change_it(official_client, township_class):
    assert (
        official_client.get(reverse("training:class_detail", args=[township_class.public_id])).status_code
        == 200
    )
    assert (
        official_client.get(reverse("training:class_edit", args=[township_class.public_id])).status_code
        == 403
    )
    url = reverse("training:class_attendance", args=[township_class.public_id])
    assert official_client.post(url, {}).status_code == 403


def test_an_admin_may_edit_any_class(admin_client_, township_class):
    url = reverse("training:class_edit", args=[township_class.public_id])
    assert admin_client_.post(url, {**CLASS_DATA, "version": 1}).status_code == 302


def test_wrong_methods_are_refused(official_client, county_class):
    assert (
        official_client.delete(reverse("training:class_detail", args=[county_class.public_id])).status_code
        == 405
    )
    assert official_client.post(reverse("training:class_list")).status_code == 405


def test_anonymous_users_are_sent_to_log_in(client, county_class):
    assert client.get(reverse("training:class_detail", args=[county_class.public_id])).status_code == 302


# ---------------------------------------------------------------- attendance


@pytest.fixture
def secretary(village):
    return PostFactory(village=village, position=Position.SECRETARY).person


def test_the_class_page_lists_the_expected_audience(
    official_client, county, village, other_village, secretary
):
    director = PostFactory(
        village=other_village, committee=Committee.VILLAGERS, position=Position.DIRECTOR
    ).person
    member = PostFactory(village=village, committee=Committee.VILLAGERS, position=Position.MEMBER).person
    first = StationingFactory(village=village).person
    training_class = TrainingClassFactory(county=county, audience=[Audience.SECRETARY, Audience.DIRECTOR])
    page = official_client.get(
        reverse("training:class_detail", args=[training_class.public_id])
    ).content.decode()
    table = page[page.index('<table class="table compact attendance">') : page.index("</table>")]
    assert f"<td>{secretary.name}</td>" in table and f"<td>{director.name}</td>" in table
    assert member.name not in table and first.name not in table


def test_attendance_of_many_people_is_recorded_in_one_form(official_client, county, other_village, secretary):
    director = PostFactory(
        village=other_village, committee=Committee.VILLAGERS, position=Position.DIRECTOR
    ).person
    training_class = TrainingClassFactory(county=county)
    url = reverse("training:class_attendance", args=[training_class.public_id])
    data = {
        f"status_{secretary.public_id.hex}": "attended",
        f"status_{director.public_id.hex}": "absent",
        f"reason_{director.public_id.hex}": "因病请假",
    }
    assert official_client.post(url, data).status_code == 302
    rows = {a.person: (a.status, a.absence_reason) for a in Attendance.objects.all()}
    assert rows == {secretary: ("attended", ""), director: ("absent", "因病请假")}
    assert Attendance.objects.get(person=director).history.get().history_user.username == "official"


def test_an_absence_without_a_reason_is_refused_and_nothing_saved(official_client, county, secretary):
    training_class = TrainingClassFactory(county=county)
    url = reverse("training:class_attendance", args=[training_class.public_id])
    response = official_client.post(url, {f"status_{secretary.public_id.hex}": "absent"})
    assert response.status_code == 400
    assert "缺席须填写原因。" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_database_refuses_an_absence_without_a_reason(county, secretary):
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(person=secretary, status=AttendanceStatus.ABSENT, absence_reason="")


def test_another_person_of_the_county_is_added_by_the_picker(official_client, county, other_village):
    resident = PersonFactory(home_village=other_village)
    training_class = TrainingClassFactory(county=county)
    url = reverse("training:class_attendance", args=[training_class.public_id])
    data = {"other_person": str(resident.public_id), "other_status": "attended"}
    assert official_client.post(url, data).status_code == 302
    assert Attendance.objects.get().person == resident


def test_attendance_of_a_person_of_another_county_is_refused(official, official_client, county):
    stranger = PersonFactory(home_village=VillageFactory(township=TownshipFactory(county=CountyFactory())))
    training_class = TrainingClassFactory(county=county)
    url = reverse("training:class_attendance", args=[training_class.public_id])
    response = official_client.post(
        url, {"other_person": str(stranger.public_id), "other_status": "attended"}
    )
    assert response.status_code == 400
    assert not Attendance.objects.exists()
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(
            training_class=training_class,
            user=official,
            entries=[{"person": stranger, "status": "attended", "reason": ""}],
        )
    assert exc.value.messages == [f"{stranger.name}不是康定市的人员，不能登记本培训班的出勤。"]
    assert not Attendance.objects.exists()


def test_a_first_secretary_from_another_county_is_a_person_of_the_county_he_serves(official, county, village):
    outsider_home = VillageFactory(township=TownshipFactory(county=CountyFactory()))
    first = StationingFactory(village=village, person=PersonFactory(home_village=outsider_home)).person
    training_class = TrainingClassFactory(county=county)
    services.attendance_record(
        training_class=training_class,
        user=official,
        entries=[{"person": first, "status": "attended", "reason": ""}],
    )
    assert Attendance.objects.get().person == first


def test_changing_a_recorded_attendance_keeps_one_row(official, county, secretary):
    training_class = TrainingClassFactory(county=county)
    entry = {"person": secretary, "status": "attended", "reason": ""}
    assert services.attendance_record(training_class=training_class, user=official, entries=[entry]) == (1, 0)
    assert services.attendance_record(training_class=training_class, user=official, entries=[entry]) == (0, 0)
    absent = {"person": secretary, "status": "absent", "reason": "外出"}
    assert services.attendance_record(training_class=training_class, user=official, entries=[absent]) == (
        0,
        1,
    )
    assert list(Attendance.objects.values_list("status", "absence_reason")) == [("absent", "外出")]


# ---------------------------------------------------------------- export


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_class_list_exports_the_filtered_classes(official_client, county, secretary):
    kept = TrainingClassFactory(county=county, title="二〇二六年书记班", start_date=dt.date(2026, 3, 1))
    TrainingClassFactory(county=county, title="二〇二五年书记班", start_date=dt.date(2025, 3, 1))
    AttendanceFactory(training_class=kept, person=secretary)
    rows = _csv(official_client.get(reverse("training:class_list"), {"year": 2026, "export": "csv"}))
    assert rows[0][:3] == ["县（市）", "主办单位", "培训班名称"]
    assert [(r[2], r[-2]) for r in rows[1:]] == [("二〇二六年书记班", "1")]
    xlsx = official_client.get(reverse("training:class_list"), {"year": 2026, "export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_list_filters_by_organiser_and_audience(official_client, county, township):
    TrainingClassFactory(county=county, title="县级班", audience=[Audience.SECRETARY])
    TrainingClassFactory(county=county, township=township, title="乡镇后备班", audience=[Audience.RESERVE])
    page = official_client.get(reverse("training:class_list"), {"level": "township"}).content.decode()
    assert "乡镇后备班" in page and "县级班" not in page
    page = official_client.get(reverse("training:class_list"), {"audience": "secretary"}).content.decode()
    assert "县级班" in page and "乡镇后备班" not in page


def test_the_untrained_list_exports_its_people(official_client, township, secretary):
    rows = _csv(
        official_client.get(
            reverse("training:untrained"), {"township": township.code, "year": 2026, "export": "csv"}
        )
    )
    assert rows[0] == ["姓名", "性别", "职务", "户籍所在村"]
    assert [r[0] for r in rows[1:]] == [secretary.name]
    assert rows[1][2] == "姑咱示例01村书记"


def test_the_untrained_list_of_another_township_answers_404(outsider_client, township):
    assert outsider_client.get(reverse("training:untrained"), {"township": township.code}).status_code == 404


def test_the_untrained_list_of_another_county_answers_404_also_as_export(official_client):
    other = CountyFactory()
    for extra in ({}, {"export": "csv"}):
        response = official_client.get(reverse("training:untrained"), {"county": other.code, **extra})
        assert response.status_code == 404


def test_township_staff_do_not_see_another_countys_own_class(staff_client, county_class):
    elsewhere = TrainingClassFactory(county=CountyFactory(), title="外县示例培训班")
    listing = staff_client.get(reverse("training:class_list")).content.decode()
    assert county_class.title in listing and elsewhere.title not in listing
    assert staff_client.get(reverse("training:class_detail", args=[elsewhere.public_id])).status_code == 404
