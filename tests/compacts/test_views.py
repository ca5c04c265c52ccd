"""Village compact pages: the list with "revised since" (counts by hand), exports, a village's
versions, the new-version form, scoping (404 outside, 403 for read-only writes), attachments, the
village page's panel, the public board and the dashboard."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from compacts.models import CompactAttachment, CompactCorrection, CompactVersion, Kind
from decisions.models import Matter
from tests.compacts.factories import CompactVersionFactory, resolved_matter
from tests.factories import VillageFactory
from tests.helpers import database_unchanged, section, table_rows

pytestmark = pytest.mark.django_db

INDEX = "/village-rules/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def villages(village, other_village, township):
    """Four villages in two townships:

    - 姑咱示例01村: 村规民约 2019-06-01 and 2025-02-01, 文明公约 2019-07-01
    - 姑咱示例02村: 村规民约 2019-05-01
    - 姑咱示例03村: nothing
    - 新都桥示例01村 (other township): 村规民约 2025-01-01, 文明公约 2024-12-31
    """
    second = VillageFactory(township=township, code="513301101202", name="姑咱示例02村")
    third = VillageFactory(township=township, code="513301101203", name="姑咱示例03村")
    CompactVersionFactory(village=village, adopted_on=dt.date(2019, 6, 1))
    CompactVersionFactory(village=village, adopted_on=dt.date(2025, 2, 1), text="二〇二五年版村规民约全文")
    CompactVersionFactory(village=village, kind=Kind.CIVILITY, adopted_on=dt.date(2019, 7, 1))
    CompactVersionFactory(village=second, adopted_on=dt.date(2019, 5, 1))
    CompactVersionFactory(village=other_village, adopted_on=dt.date(2025, 1, 1))
    CompactVersionFactory(village=other_village, kind=Kind.CIVILITY, adopted_on=dt.date(2024, 12, 31))
    return village, second, third, other_village


def _counts(html: str) -> dict[str, int]:
    import re

    return {name: int(value) for name, value in re.findall(r'data-count="(\w+)">(?:<a[^>]*>)?(\d+)', html)}


def _names(html: str) -> list[str]:
    return [row[0] for row in table_rows(html)[1:]]


# ---------------------------------------------------------------- the list and "revised since"


def test_the_county_list_shows_each_village_s_current_dates(official_client, villages):
    html = official_client.get(INDEX).content.decode()
    rows = {row[0]: row[2:4] for row in table_rows(html)[1:]}
    assert rows == {
        "姑咱示例01村": ["2025-02-01", "2019-07-01"],
        "姑咱示例02村": ["2019-05-01", "未录入"],
        "姑咱示例03村": ["未录入", "未录入"],
        "新都桥示例01村": ["2025-01-01", "2024-12-31"],
    }
    assert _counts(html) == {"villages": 4, "with_rules": 3, "with_civility": 2}


@pytest.mark.parametrize(
    ("query", "revised"),
    [
        # On the date counts (新都桥 2025-01-01); the day after it does not.
        ("since=2025-01-01", ["姑咱示例01村", "新都桥示例01村"]),
        ("since=2025-01-02", ["姑咱示例01村"]),
        ("since=2025-02-01", ["姑咱示例01村"]),
        ("since=2025-02-02", []),
        # Only 文明公约: 新都桥's of 2024-12-31 is one day before 2025-01-01.
        ("since=2025-01-01&kind=civility", []),
        ("since=2024-12-31&kind=civility", ["新都桥示例01村"]),
        ("since=2025-01-01&kind=rules", ["姑咱示例01村", "新都桥示例01村"]),
    ],
)
def test_revised_since_a_date_counts_villages_with_a_version_on_or_after_it(
    official_client, villages, query, revised
):
    html = official_client.get(f"{INDEX}?{query}").content.decode()
    counts = _counts(html)
    assert counts["villages"] == 4
    assert (counts["revised"], counts["not_revised"]) == (len(revised), 4 - len(revised)), (
        "revised since rule"
    )
    assert _names(official_client.get(f"{INDEX}?{query}&status=revised").content.decode()) == revised
    not_revised = _names(official_client.get(f"{INDEX}?{query}&status=not_revised").content.decode())
    assert sorted(not_revised + revised) == ["姑咱示例01村", "姑咱示例02村", "姑咱示例03村", "新都桥示例01村"]
    assert not set(not_revised) & set(revised)


def test_the_township_filter_narrows_the_list_and_its_counts(official_client, villages, township):
    html = official_client.get(f"{INDEX}?township={township.code}&since=2025-01-01").content.decode()
    assert _counts(html) == {
        "villages": 3,
        "with_rules": 2,
        "with_civility": 1,
        "revised": 1,
        "not_revised": 2,
    }


def test_township_staff_see_only_their_township_s_villages(staff_client, villages, other_township):
    html = staff_client.get(INDEX).content.decode()
    assert _names(html) == ["姑咱示例01村", "姑咱示例02村", "姑咱示例03村"]
    assert staff_client.get(f"{INDEX}?township={other_township.code}").status_code == 200
    assert (
        "新都桥示例01村" not in staff_client.get(f"{INDEX}?township={other_township.code}").content.decode()
    )
    export = staff_client.get(f"{INDEX}?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["姑咱示例01村", "姑咱示例02村", "姑咱示例03村"]


def test_a_bad_filter_value_shows_no_rows_and_no_500(official_client, villages):
    response = official_client.get(f"{INDEX}?since=2025-13-01&kind=nope&status=maybe")
    assert response.status_code == 200
    assert "筛选条件有误" in response.content.decode()


def test_the_export_has_the_filtered_rows_with_the_revised_column(official_client, villages):
    response = official_client.get(f"{INDEX}?since=2025-01-01&status=not_revised&export=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [
        "乡镇（街道）",
        "村（社区）",
        "区划代码",
        "现行村规民约通过日期",
        "现行文明公约通过日期",
        "2025-01-01以来修订",
    ]
    assert [row[1] for row in rows[1:]] == ["姑咱示例02村", "姑咱示例03村"]
    assert rows[1][3] == "2019-05-01" and rows[1][5] in ("否", "False")
    xlsx = official_client.get(f"{INDEX}?export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert official_client.get(f"{INDEX}?export=pdf").status_code == 400


# ---------------------------------------------------------------- a village's versions


def test_the_village_page_shows_the_current_version_first_and_earlier_ones_below(
    staff_client, villages, village
):
    html = staff_client.get(reverse("compacts:village", args=[village.code])).content.decode()
    rules = section(html, "现行版本（2025-02-01通过）")
    assert "二〇二五年版村规民约全文" in rules
    assert (
        rules.index("现行版本（2025-02-01通过）")
        < rules.index("以前的版本")
        < rules.index("2019-06-01通过的版本")
    )
    assert "录入新版村规民约" in html


def test_the_village_page_s_panel_lists_the_current_versions(staff_client, villages, village):
    html = staff_client.get(reverse("villages:village_detail", args=[village.code])).content.decode()
    panel = section(html, "村规民约和文明公约")
    assert "现行版本 2025-02-01通过" in panel and "现行版本 2019-07-01通过" in panel


def test_the_new_version_form_offers_only_the_village_s_resolved_matters(
    staff_client, village, other_village
):
    resolved_matter(village, resolved_on=dt.date(2025, 3, 1), title="本村已决议事项")
    resolved_matter(village, resolved_on=None, state=Matter.State.REVIEWED, title="本村未决议事项")
    resolved_matter(other_village, resolved_on=dt.date(2025, 3, 1), title="他村已决议事项")
    html = staff_client.get(reverse("compacts:version_new", args=[village.code])).content.decode()
    assert "2025-03-01 本村已决议事项" in html
    assert "本村未决议事项" not in html and "他村已决议事项" not in html


def test_a_clerk_records_a_version_adopted_by_a_matter(staff_client, staff, village):
    matter = resolved_matter(village, resolved_on=dt.date(2025, 3, 1))
    data = {
        "kind": "rules",
        "adopted_on": "2025-03-05",
        "matter": str(matter.public_id),
        "text": "一、爱护草场。",
    }
    response = staff_client.post(reverse("compacts:version_new", args=[village.code]), data)
    version = CompactVersion.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/village-rules/versions/{version.public_id}/"
    )
    assert (version.matter, version.recorded_by, version.adopted_on) == (matter, staff, dt.date(2025, 3, 5))
    assert version.history.get().history_user == staff


def test_a_refused_version_re_renders_with_the_message_and_the_typed_values(staff_client, village):
    CompactVersionFactory(village=village, adopted_on=dt.date(2025, 3, 5))
    data = {"kind": "rules", "adopted_on": "2025-03-04", "text": "一、爱护草场。"}
    response = staff_client.post(reverse("compacts:version_new", args=[village.code]), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "不能在较新的版本之后补录较早的版本" in html and "一、爱护草场。" in html
    phone = {**data, "adopted_on": "2025-03-06", "text": "有事请联系13812345678"}
    response = staff_client.post(reverse("compacts:version_new", args=[village.code]), phone)
    assert response.status_code == 400 and "请勿填写身份证号码或电话号码" in response.content.decode()
    assert CompactVersion.objects.count() == 1


def test_a_correction_through_the_page_is_shown_with_its_reason(staff_client, village):
    version = CompactVersionFactory(village=village, text="旧文本")
    url = reverse("compacts:version_correct", args=[version.public_id])
    data = {"version": version.version, "adopted_on": "2019-06-01", "text": "新文本", "reason": "错别字"}
    assert staff_client.post(url, data).status_code == 302
    html = staff_client.get(reverse("compacts:version_detail", args=[version.public_id])).content.decode()
    assert "错别字" in section(html, "更正记录")
    assert CompactCorrection.objects.get().changes == {"text": ["旧文本", "新文本"]}


def test_an_attachment_is_uploaded_and_downloaded_within_the_jurisdiction(
    staff_client, outsider_client, village
):
    version = CompactVersionFactory(village=village)
    url = reverse("compacts:version_attach", args=[version.public_id])
    upload = SimpleUploadedFile("scan.png", PNG, content_type="image/png")
    assert staff_client.post(url, {"title": "村民代表会议通过的文本", "upload": upload}).status_code == 302
    attachment = CompactAttachment.objects.get()
    download = reverse("compacts:attachment_download", args=[version.public_id, attachment.public_id])
    response = staff_client.get(download)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert outsider_client.get(download).status_code == 404
    bad = SimpleUploadedFile("x.png", b"MZ not an image", content_type="image/png")
    assert staff_client.post(url, {"title": "假图片", "upload": bad}).status_code == 400
    assert CompactAttachment.objects.count() == 1


# ---------------------------------------------------------------- scoping


def test_another_township_gets_404_for_every_page_of_the_village(outsider_client, village):
    version = CompactVersionFactory(village=village)
    urls = [
        reverse("compacts:village", args=[village.code]),
        reverse("compacts:version_new", args=[village.code]),
        reverse("compacts:version_detail", args=[version.public_id]),
        reverse("compacts:version_correct", args=[version.public_id]),
    ]
    for url in urls:
        assert outsider_client.get(url).status_code == 404, url
    data = {"kind": "rules", "adopted_on": "2025-03-05", "text": "一、爱护草场。"}
    with database_unchanged():
        assert outsider_client.post(urls[1], data).status_code == 404
        assert (
            outsider_client.post(
                urls[3], {"version": 1, "adopted_on": "2019-06-02", "text": "x", "reason": "y"}
            ).status_code
            == 404
        )
        upload = SimpleUploadedFile("scan.png", PNG, content_type="image/png")
        attach = reverse("compacts:version_attach", args=[version.public_id])
        assert outsider_client.post(attach, {"title": "t", "upload": upload}).status_code == 404


def test_the_county_reads_but_gets_403_on_every_write(official_client, village):
    version = CompactVersionFactory(village=village)
    assert official_client.get(reverse("compacts:village", args=[village.code])).status_code == 200
    assert (
        official_client.get(reverse("compacts:version_detail", args=[version.public_id])).status_code == 200
    )
    new = reverse("compacts:version_new", args=[village.code])
    correct = reverse("compacts:version_correct", args=[version.public_id])
    attach = reverse("compacts:version_attach", args=[version.public_id])
    with database_unchanged():
        assert official_client.get(new).status_code == 403
        assert (
            official_client.post(
                new, {"kind": "rules", "adopted_on": "2025-03-05", "text": "一、"}
            ).status_code
            == 403
        )
        assert (
            official_client.post(
                correct, {"version": 1, "adopted_on": "2019-06-02", "text": "x", "reason": "y"}
            ).status_code
            == 403
        )
        upload = SimpleUploadedFile("scan.png", PNG, content_type="image/png")
        assert official_client.post(attach, {"title": "t", "upload": upload}).status_code == 403


def test_anonymous_users_go_to_login_and_wrong_methods_answer_405(client, staff_client, village):
    version = CompactVersionFactory(village=village)
    assert client.get(INDEX).status_code == 302
    assert staff_client.post(INDEX).status_code == 405
    assert (
        staff_client.delete(reverse("compacts:version_detail", args=[version.public_id])).status_code == 405
    )


# ---------------------------------------------------------------- public board


def test_a_visitor_without_login_finds_the_current_rules_and_no_personal_data(villages, village, staff):
    # An older record typed before the rule, holding a phone number, is blanked on the board.
    CompactVersion.objects.filter(village=village, kind=Kind.CIVILITY).update(
        text="文明公约：联系电话13812345678"
    )
    html = Client().get(reverse("public:village", kwargs={"code": village.code})).content.decode()
    board = section(html, "村规民约和文明公约")
    assert "二〇二五年版村规民约全文" in board and "2025-02-01通过" in board
    assert "2019-06-01" not in board, "only the current version is on the board"
    assert "13812345678" not in html and "［已隐去］" in board
    assert "录入人" not in board and "root" not in board


def test_a_village_without_versions_has_no_rules_section_on_the_board(village):
    html = Client().get(reverse("public:village", kwargs={"code": village.code})).content.decode()
    assert "村规民约和文明公约" not in html


# ---------------------------------------------------------------- dashboard


def test_the_dashboard_counts_villages_revised_since_1_january_worst_first(
    official_client, villages, township, other_township
):
    html = official_client.get("/dashboard/?period=2025").content.decode()
    panel = section(html, "村规民约和文明公约：2025-01-01以来修订")
    rows = {row[0]: row[1:] for row in table_rows(panel)[1:]}
    # 姑咱镇: 1 of 3 villages (33.3%); 新都桥镇: 1 of 1 (100%) -> 姑咱镇 first.
    assert rows["姑咱镇"] == ["3", "1", "2", "33.3%"]
    assert rows["新都桥镇"] == ["1", "1", "0", "100.0%"]
    assert list(rows) == ["姑咱镇", "新都桥镇"], "lowest share first"
    link = f"/village-rules/?township={township.code}&amp;since=2025-01-01&amp;status=not_revised"
    assert link in panel
    html = official_client.get(
        f"{INDEX}?township={township.code}&since=2025-01-01&status=not_revised"
    ).content.decode()
    assert len(_names(html)) == 2, "the figure opens a list of exactly that many rows"
