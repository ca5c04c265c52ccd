"""Demo matters for the demo villages: every step reached, some rejected, some overdue.

All of it goes through the same services as the staff pages, so the demo data obeys every rule
(order, dates, thresholds) and has complete history. Deterministic and idempotent: a matter is only
created when its village does not yet have one with the same title.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from cadres.selectors import combined_leadership_on
from decisions import services
from decisions.models import Category, Matter, MeetingType
from decisions.services import Vote
from governance.demo import DEMO_TOWNSHIP2_CODE, DEMO_TOWNSHIP_CODE, demo_actor
from villages.models import Village

# (title, category, amount in yuan or None)
TOPICS = [
    ("村道硬化工程", Category.PROJECT, Decimal("860000.00")),
    ("人畜饮水管网改造", Category.PROJECT, Decimal("320000.00")),
    ("村集体经济发展资金使用", Category.FUND_USE, Decimal("500000.00")),
    ("东西部协作帮扶资金使用", Category.FUND_USE, Decimal("150000.00")),
    ("牦牛养殖合作社产业规划", Category.INDUSTRY, Decimal("1200000.00")),
    ("青稞种植与加工产业规划", Category.INDUSTRY, None),
    ("集体草场承包收益分配", Category.COLLECTIVE_INCOME, Decimal("86000.00")),
    ("土地承包经营权调整方案", Category.LAND_CONTRACT, None),
    ("宅基地使用审核", Category.HOMESTEAD, None),
    ("集体闲置房屋出租", Category.COLLECTIVE_ASSETS, Decimal("24000.00")),
    ("公路建设征地补偿款分配", Category.REQUISITION, Decimal("1350000.00")),
    ("村规民约修订", Category.OTHER, None),
]

# What happens to the demo matter of the n-th village: the state it is left in.
NEW, PROPOSED, CONSULTED, REVIEWED, RESOLVED, RESOLVED_LATE = range(6)
DISCLOSED, DISCLOSED_LATE, COMPLETED, REJECTED_REVIEW, REJECTED_RESOLVE, COMPLETED_ASSEMBLY = range(6, 12)
TARGETS = 12


def _description(title: str, village: Village) -> str:
    return (
        f"{village.name}“{title}”事项。经村党组织广泛征求党员和群众意见后提出，"
        "按照“四议两公开”程序办理，实施情况接受村务监督委员会和全体村民监督。"
    )


def _days(today: dt.date, n: int) -> dt.date:
    return today - dt.timedelta(days=n)


def _plan(target: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """(proposal date, planned completion) for a target: late ones are in the past."""
    if target == RESOLVED_LATE:
        return _days(today, 60), today + dt.timedelta(days=120)
    if target == DISCLOSED_LATE:
        return _days(today, 200), _days(today, 20)
    if target in (COMPLETED, COMPLETED_ASSEMBLY):
        return _days(today, 300), _days(today, 120)
    return _days(today, 40), today + dt.timedelta(days=180)


def _run(matter: Matter, *, target: int, start: dt.date, user) -> None:
    """Walk ``matter`` through its steps until it reaches ``target``."""
    if target == NEW:
        return
    # Where the village has 一肩挑 the two meetings may be one; the demo shows both ways.
    merged = (
        target not in (PROPOSED, CONSULTED)
        and matter.pk % 2 == 0
        and combined_leadership_on(village=matter.village, on=start)
    )
    consult = Vote(members_due=7, present=6, votes_for=6, votes_against=0, votes_abstain=0)
    services.matter_propose(
        matter=matter,
        user=user,
        held_on=start,
        text=f"村党支部委员会提议：{matter.title}。",
        merged_consultation=consult if merged else None,
    )
    if target == PROPOSED and not merged:
        return
    if not merged:
        services.matter_consult(matter=matter, user=user, held_on=start + dt.timedelta(days=5), vote=consult)
    if target in (PROPOSED, CONSULTED):
        return
    members = 18
    approve = members // 2 if target == REJECTED_REVIEW else members // 2 + 3
    services.matter_review(
        matter=matter,
        user=user,
        held_on=start + dt.timedelta(days=10),
        vote=Vote(
            members_due=members, present=15, votes_for=approve, votes_against=15 - approve, votes_abstain=0
        ),
        text="党员大会审议。",
    )
    if target in (REVIEWED, REJECTED_REVIEW):
        return
    resolved_on = _days(timezone.localdate(), 2) if target == RESOLVED else start + dt.timedelta(days=15)
    if target == COMPLETED_ASSEMBLY:
        services.matter_resolve(
            matter=matter,
            user=user,
            held_on=resolved_on,
            meeting_type=MeetingType.ASSEMBLY,
            vote=Vote(members_due=420, present=160, votes_for=140, votes_against=12, votes_abstain=8),
            households=150,
            households_represented=104,
            text="村民会议表决，户代表超过三分之二。",
        )
    else:
        votes_for = 12 if target == REJECTED_RESOLVE else 24
        services.matter_resolve(
            matter=matter,
            user=user,
            held_on=resolved_on,
            meeting_type=MeetingType.REPRESENTATIVES,
            vote=Vote(
                members_due=33, present=28, votes_for=votes_for, votes_against=28 - votes_for, votes_abstain=0
            ),
            text="村民代表会议表决。",
        )
    if target in (RESOLVED, RESOLVED_LATE, REJECTED_RESOLVE):
        return
    services.matter_disclose_resolution(
        matter=matter,
        user=user,
        held_on=resolved_on + dt.timedelta(days=2),
        place="村务公开栏",
        notice_days=7,
    )
    if target in (DISCLOSED, DISCLOSED_LATE):
        return
    services.matter_disclose_result(
        matter=matter,
        user=user,
        held_on=matter.planned_completion,
        place="村务公开栏",
        outcome=f"{matter.title}已按决议实施完成，经村务监督委员会核实，资金使用与决议一致。",
    )


def _demo_villages():
    """Every village of the two demo townships, and every third village elsewhere."""
    villages = Village.objects.select_related("township").filter(valid_to__isnull=True).order_by("code")
    for index, village in enumerate(villages):
        if village.township.code in (DEMO_TOWNSHIP_CODE, DEMO_TOWNSHIP2_CODE) or index % 3 == 0:
            yield index, village


def _demo_png(width: int = 240, height: int = 160) -> bytes:
    """A small real PNG (a grey "photo" with a red band, like a notice on the board)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    band = range(height // 3, height // 3 + 12)
    rows = b"".join(
        b"\x00" + (b"\xb3\x26\x1e" if y in band else b"\xe8\xe8\xe0") * width for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _demo_pdf() -> bytes:
    """A one-page real PDF standing in for a scanned set of minutes."""
    text = b"BT /F1 18 Tf 72 760 Td (Demo: scanned meeting minutes) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


# Matters that have held their votes get the scanned minutes; disclosed ones a photo of the notice.
_WITH_MINUTES = (Matter.State.RESOLVED, Matter.State.DISCLOSED, Matter.State.COMPLETED, Matter.State.REJECTED)
_WITH_PHOTO = (Matter.State.DISCLOSED, Matter.State.COMPLETED)


def _seed_attachments(user) -> int:
    """Attachments for the demo townships' matters that have none yet (idempotent, a few dozen files)."""
    matters = Matter.objects.filter(
        village__township__code__in=(DEMO_TOWNSHIP_CODE, DEMO_TOWNSHIP2_CODE),
        state__in=_WITH_MINUTES,
        attachments__isnull=True,
    ).order_by("pk")
    pdf, png = _demo_pdf(), _demo_png()
    added = 0
    for matter in matters:
        services.attachment_add(
            matter=matter,
            user=user,
            title="会议记录扫描件",
            upload=SimpleUploadedFile("minutes.pdf", pdf, content_type="application/pdf"),
        )
        added += 1
        if matter.state in _WITH_PHOTO:
            services.attachment_add(
                matter=matter,
                user=user,
                title="决议公示张贴照片",
                upload=SimpleUploadedFile("notice.png", png, content_type="image/png"),
            )
            added += 1
    return added


@transaction.atomic
def seed(*, stdout=None) -> None:
    user = demo_actor()
    today = timezone.localdate()
    existing = set(Matter.objects.values_list("village_id", "title"))
    created = 0
    sequence = 0  # counts every planned matter (created or not) so reruns pick the same targets
    for index, village in _demo_villages():
        # Two matters for the demo townships' villages, one elsewhere; targets cycle through all states.
        count = 2 if village.township.code in (DEMO_TOWNSHIP_CODE, DEMO_TOWNSHIP2_CODE) else 1
        for k in range(count):
            title, category, amount = TOPICS[(index + 5 * k) % len(TOPICS)]
            target = sequence % TARGETS
            sequence += 1
            if (village.pk, title) in existing:
                continue
            start, planned = _plan(target, today)
            matter = services.matter_create(
                village=village,
                user=user,
                title=title,
                category=category,
                amount=amount,
                description=_description(title, village),
                planned_completion=planned,
            )
            _run(matter, target=target, start=start, user=user)
            created += 1
    attachments = _seed_attachments(user)
    if stdout is not None:
        stdout.write(f"四议两公开：新建 {created} 个演示事项，{attachments} 个附件。")
