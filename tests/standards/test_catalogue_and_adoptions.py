"""The county's catalogue (county officials of the county edit it; others 403/404), adoptions with
evidence (township staff of the village write; other townships get 404), and evidence files."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from standards import services
from standards.models import Adoption, Area, Rule
from tests.standards.factories import AdoptionFactory, RuleFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ---------------------------------------------------------------- catalogue


def test_a_county_official_adds_edits_and_retires_a_rule_with_history(official_client, county, official):
    response = official_client.post(
        "/standards/rules/new/", {"area": "life", "code": "ZZSH-09", "title": "每月主题党日"}
    )
    assert response.status_code == 302
    rule = Rule.objects.get(code="ZZSH-09")
    assert rule.county == county and rule.area == Area.LIFE
    edit = official_client.post(
        f"/standards/rules/{rule.public_id}/edit/",
        {"area": "life", "code": "ZZSH-09", "title": "每月固定主题党日", "version": rule.version},
    )
    assert edit.status_code == 302
    confirm = official_client.get(f"/standards/rules/{rule.public_id}/retire/")
    assert confirm.status_code == 200 and 'name="confirmed"' in confirm.content.decode()
    official_client.post(f"/standards/rules/{rule.public_id}/retire/", {"confirmed": "1"})
    rule.refresh_from_db()
    assert rule.title == "每月固定主题党日" and rule.retired_on == timezone.localdate()
    page = official_client.get(f"/standards/rules/{rule.public_id}/").content.decode()
    assert official.username in page or official.get_full_name() in page  # who changed it


def test_a_duplicate_code_in_the_county_is_a_form_error(official_client, county):
    RuleFactory(county=county, code="ZZYX-01")
    response = official_client.post(
        "/standards/rules/new/", {"area": "operation", "code": "ZZYX-01", "title": "x"}
    )
    assert response.status_code == 400 and "本县（市）已有该编号的规范。" in response.content.decode()


def test_the_same_code_in_another_county_is_fine(county, other_county, official):
    RuleFactory(county=other_county, code="ZZYX-01")
    rule = services.rule_create(user=official, county=county, area="operation", code="ZZYX-01", title="x")
    assert rule.county == county


def test_an_official_of_another_county_gets_404_on_the_rules(county, other_official):
    rule = RuleFactory(county=county)
    client = _client(other_official)
    assert client.get(f"/standards/rules/{rule.public_id}/").status_code == 404
    assert client.get(f"/standards/rules/{rule.public_id}/edit/").status_code == 404
    assert client.post(f"/standards/rules/{rule.public_id}/retire/", {"confirmed": "1"}).status_code == 404
    rule.refresh_from_db()
    assert rule.retired_on is None


def test_township_staff_read_the_catalogue_but_may_not_edit_it(staff_client, county):
    rule = RuleFactory(county=county)
    assert staff_client.get(f"/standards/rules/{rule.public_id}/").status_code == 200
    assert staff_client.get(f"/standards/rules/{rule.public_id}/edit/").status_code == 403
    assert (
        staff_client.post("/standards/rules/new/", {"area": "life", "code": "X", "title": "x"}).status_code
        == 403
    )


def test_township_staff_do_not_see_another_countys_catalogue(staff_client, other_county):
    rule = RuleFactory(county=other_county)
    assert staff_client.get(f"/standards/rules/{rule.public_id}/").status_code == 404


# ---------------------------------------------------------------- adoptions


def test_staff_mark_rules_adopted_for_a_village(staff_client, village, county):
    first, second, _third = (RuleFactory(county=county) for _ in range(3))
    response = staff_client.post(
        f"/standards/villages/{village.code}/",
        {
            "rules": [str(first.public_id), str(second.public_id)],
            "adopted_on": "2025-05-04",
            "note": "已上墙",
        },
    )
    assert response.status_code == 302
    assert set(Adoption.objects.values_list("rule__code", flat=True)) == {first.code, second.code}
    page = staff_client.get(f"/standards/villages/{village.code}/").content.decode()
    assert "2 / 3" in page and "66.7%" in page


def test_an_adoption_needs_evidence_and_keeps_the_choice(staff_client, village, county):
    rule = RuleFactory(county=county)
    response = staff_client.post(
        f"/standards/villages/{village.code}/", {"rules": [str(rule.public_id)], "adopted_on": "2025-05-04"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and services.EVIDENCE_REQUIRED in html
    assert "checked" in html
    assert not Adoption.objects.exists()


def test_an_adoption_date_in_the_future_is_refused(staff, village, county):
    rule = RuleFactory(county=county)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(services.ValidationError):
        services.adoptions_record(village=village, user=staff, rules=[rule], adopted_on=tomorrow, note="x")


def test_a_rule_of_another_county_or_retired_cannot_be_adopted(staff, village, county, other_county):
    foreign = RuleFactory(county=other_county)
    retired = RuleFactory(county=county, retired_on=dt.date(2025, 1, 1))
    for rule in (foreign, retired):
        with pytest.raises(services.ValidationError):
            services.adoptions_record(
                village=village, user=staff, rules=[rule], adopted_on=dt.date(2025, 5, 1), note="x"
            )
    assert not Adoption.objects.exists()


def test_township2_cannot_read_townships_adoptions(outsider_client, village):
    adoption = AdoptionFactory(village=village)
    assert outsider_client.get(f"/standards/villages/{village.code}/").status_code == 404
    assert outsider_client.get(f"/standards/adoptions/{adoption.public_id}/").status_code == 404
    listing = outsider_client.get("/standards/adoptions/").content.decode()
    assert village.name not in listing
    assert (
        outsider_client.post(
            f"/standards/villages/{village.code}/",
            {"rules": [str(adoption.rule.public_id)], "adopted_on": "2025-05-04", "note": "x"},
        ).status_code
        == 404
    )


def test_a_county_official_reads_adoptions_but_may_not_record_them(official_client, village):
    adoption = AdoptionFactory(village=village)
    assert official_client.get(f"/standards/adoptions/{adoption.public_id}/").status_code == 200
    response = official_client.post(f"/standards/villages/{village.code}/", {"adopted_on": "2025-05-04"})
    assert response.status_code == 403


def test_evidence_is_stored_by_its_content_under_a_generated_name(staff_client, outsider_client, village):
    adoption = AdoptionFactory(village=village)
    upload = SimpleUploadedFile("上墙照片.bin", PNG, content_type="application/octet-stream")
    response = staff_client.post(
        f"/standards/adoptions/{adoption.public_id}/evidence/", {"title": "上墙照片", "upload": upload}
    )
    assert response.status_code == 302
    file = adoption.attachments.get()
    assert (
        file.file_type == "png" and file.file.name.startswith("standards/") and "上墙" not in file.file.name
    )
    url = f"/standards/adoptions/{adoption.public_id}/evidence/{file.public_id}/"
    download = staff_client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert outsider_client.get(url).status_code == 404


def test_a_file_that_only_claims_to_be_an_image_is_refused(staff_client, village):
    adoption = AdoptionFactory(village=village)
    upload = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = staff_client.post(
        f"/standards/adoptions/{adoption.public_id}/evidence/", {"title": "照片", "upload": upload}
    )
    assert response.status_code == 400 and "附件只能是JPEG、PNG图片或PDF文件。" in response.content.decode()
    assert not adoption.attachments.exists()


def test_an_upload_alone_is_evidence_enough(staff, village, county):
    rule = RuleFactory(county=county)
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    (adoption,) = services.adoptions_record(
        village=village, user=staff, rules=[rule], adopted_on=dt.date(2025, 5, 1), upload=upload
    )
    assert adoption.attachments.get().file_type == "pdf"


def test_a_rules_page_links_to_exactly_its_adoptions(official_client, township, village, county):
    rule, other = RuleFactory(county=county), RuleFactory(county=county)
    AdoptionFactory(village=village, rule=rule)
    AdoptionFactory(village=village, rule=other)
    page = official_client.get(f"/standards/rules/{rule.public_id}/").content.decode()
    assert f"/standards/adoptions/?rule={rule.public_id}" in page
    listing = official_client.get(f"/standards/adoptions/?rule={rule.public_id}").content.decode()
    assert "共 1 条采纳记录" in listing and rule.title in listing and other.title not in listing
    assert "共 0 条采纳记录" in official_client.get("/standards/adoptions/?rule=nonsense").content.decode()
