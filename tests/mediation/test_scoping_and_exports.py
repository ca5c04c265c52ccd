"""Jurisdiction (DESIGN §1) on every mediation page: another township gets 404, a county official
reads and gets 403 on writes, nothing is written by a refused request; exports carry no ID or phone."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from governance.privacy import PERSONAL
from mediation.models import Outcome
from tests.helpers import database_unchanged
from tests.mediation.factories import DisputeFactory, FollowUpFactory, MemberFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def dispute(village, chair):
    return DisputeFactory(village=village, mediator=chair, received_on=TODAY - dt.timedelta(days=10))


@pytest.fixture
def closed(village, chair):
    return DisputeFactory(
        village=village,
        mediator=chair,
        received_on=TODAY - dt.timedelta(days=10),
        outcome=Outcome.UNRESOLVED,
        closed_on=TODAY,
    )


def _writes(village, chair, dispute, closed):
    """(url, data a township clerk of the village could post successfully)."""
    person = PersonFactory(home_village=village)
    other = MemberFactory(committee=chair.committee)
    day = TODAY.isoformat()
    return [
        (
            reverse("mediation:dispute_new"),
            {
                "village": village.code,
                "received_on": day,
                "parties": "扎西示甲",
                "category": "land",
                "summary": "宅基地边界。",
                "mediator": str(chair.public_id),
            },
        ),
        (
            reverse("mediation:dispute_edit", args=[dispute.public_id]),
            {
                "received_on": dispute.received_on.isoformat(),
                "parties": "扎西示甲",
                "category": "land",
                "summary": "改过的概要。",
                "mediator": str(chair.public_id),
                "version": dispute.version,
            },
        ),
        (
            reverse("mediation:dispute_close", args=[dispute.public_id]),
            {"outcome": "unresolved", "closed_on": day, "confirmed": "1"},
        ),
        (
            reverse("mediation:dispute_correct", args=[closed.public_id]),
            {"outcome": "referred", "closed_on": day, "referred_to": "司法所", "reason": "更正。"},
        ),
        (reverse("mediation:follow_up_add", args=[dispute.public_id]), {"visited_on": day, "note": "回访。"}),
        (
            reverse("mediation:committee", args=[village.code]),
            {"person": str(person.public_id), "start_date": day},
        ),
        (reverse("mediation:member_chair", args=[other.public_id]), {}),
        (reverse("mediation:member_end", args=[other.public_id]), {"end_date": day}),
    ]


def test_a_county_official_reads_but_gets_403_on_every_write(
    official_client, village, chair, dispute, closed
):
    for url in (
        reverse("mediation:dispute_detail", args=[dispute.public_id]),
        reverse("mediation:committee", args=[village.code]),
        reverse("mediation:dispute_list"),
        reverse("mediation:committee_list"),
    ):
        assert official_client.get(url).status_code == 200, url
    for url, data in _writes(village, chair, dispute, closed):
        with database_unchanged():
            assert official_client.post(url, data).status_code == 403, url


def test_another_township_gets_404_on_every_page_and_write(outsider_client, village, chair, dispute, closed):
    for url in (
        reverse("mediation:dispute_detail", args=[dispute.public_id]),
        reverse("mediation:dispute_edit", args=[dispute.public_id]),
        reverse("mediation:dispute_close", args=[dispute.public_id]),
        reverse("mediation:dispute_correct", args=[closed.public_id]),
        reverse("mediation:committee", args=[village.code]),
    ):
        assert outsider_client.get(url).status_code == 404, url
    writes = _writes(village, chair, dispute, closed)[1:]  # the create form picks villages: below
    for url, data in writes:
        with database_unchanged():
            assert outsider_client.post(url, data).status_code == 404, url
    create_url, data = _writes(village, chair, dispute, closed)[0]
    with database_unchanged():
        response = outsider_client.post(create_url, data)
    assert response.status_code == 400, "another township's village is not a valid choice"
    listed = outsider_client.get(reverse("mediation:dispute_list")).content.decode()
    assert "共 0 件纠纷" in listed


def test_the_clerk_of_the_township_may_do_each_write(staff_client, village, chair, dispute, closed):
    for url, data in _writes(village, chair, dispute, closed):
        assert staff_client.post(url, data).status_code == 302, url


def test_lists_refuse_post(staff_client):
    assert staff_client.post(reverse("mediation:dispute_list")).status_code == 405
    assert staff_client.post(reverse("mediation:summary")).status_code == 405


def test_anonymous_users_go_to_login(client, dispute):
    response = client.get(reverse("mediation:dispute_detail", args=[dispute.public_id]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_exports_hold_names_but_no_id_number_or_phone(staff_client, village, chair):
    # A row written before the rules (or by hand in the database) still leaves the portal blank.
    leaked = DisputeFactory(
        village=village,
        mediator=chair,
        parties="扎西示甲、卓玛示乙",
        summary="当事人身份证号513301198001010019，电话13812345678。",
    )
    FollowUpFactory(dispute=leaked)
    url = reverse("mediation:dispute_list")
    body = b"".join(staff_client.get(url, {"export": "csv"}).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1][4] == "扎西示甲、卓玛示乙", "the parties' names are exported"
    assert not PERSONAL.search(body), "no ID number or phone in the CSV"
    assert "513301198001010019" not in body and "13812345678" not in body
    response = staff_client.get(url, {"export": "xlsx"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "扎西示甲、卓玛示乙" in cells
    assert not any(PERSONAL.search(cell) for cell in cells), "no ID number or phone in the xlsx"
    page = staff_client.get(reverse("mediation:dispute_detail", args=[leaked.public_id])).content.decode()
    assert not re.search(r"513301198001010019|13812345678", page), "the page blanks them too"
