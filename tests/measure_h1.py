import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Committee, Position
from decisions.models import StepKind
from supervision.models import Kind
from tests.cadres.factories import (
    DevelopmentFactory,
    EvaluationFactory,
    PersonFactory,
    PostFactory,
    ReserveCadreFactory,
    ReserveTrainingFactory,
)
from tests.decisions.factories import MatterFactory, advance
from tests.factories import VillageFactory
from tests.supervision.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db


def populate(township, village, staff, n):
    march = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3)
    for k in range(n):
        person = PersonFactory(home_village=village, is_returning_migrant=k % 2 == 0)
        PostFactory(village=village, person=person, committee=Committee.VILLAGERS, position=[Position.MEMBER, Position.DEPUTY_DIRECTOR][k % 2])
        EvaluationFactory(village=village, person=person, year=2025)
        DevelopmentFactory(village=village, person=person)
        reserve = ReserveCadreFactory(village=village, person=person, mentor=None)
        ReserveTrainingFactory(reserve=reserve)
        v = VillageFactory(township=township)
        ReportFactory(village=v, period=march)
        advance(MatterFactory(village=v, created_by=staff), user=staff, through=StepKind.DISCLOSE_RESULT)


@pytest.mark.parametrize("n", [3, 30])
def test_measure(n, township, village, staff, staff_client, official_client, client):
    populate(township, village, staff, n)
    from decisions.models import Matter
    from supervision.models import Report
    from cadres.models import Person
    matter = Matter.objects.first()
    report = Report.objects.first()
    person = Person.objects.first()
    urls = []
    for name in ["villages:village_list", "cadres:index", "cadres:post_list", "cadres:evaluation_list", "cadres:development_list", "cadres:reserve_list", "cadres:compliance", "supervision:index", "decisions:index"]:
        for fmt in ("csv", "xlsx"):
            urls.append(("official", reverse(name) + f"?export={fmt}"))
            urls.append(("staff", reverse(name) + f"?export={fmt}"))
    for name in ["cadres:person_create", "cadres:post_create", "cadres:evaluation_create", "cadres:development_create", "cadres:reserve_create", "supervision:report_new", "decisions:matter_create"]:
        urls.append(("staff", reverse(name)))
    urls.append(("staff", reverse("supervision:report_new") + f"?village={report.village.code}&period=2025-03"))
    urls.append(("staff", reverse("cadres:person_edit", args=[person.public_id])))
    urls.append(("staff", reverse("supervision:report_edit", args=[report.public_id])))
    new_matter = MatterFactory(village=village, created_by=staff)
    urls.append(("staff", reverse("decisions:matter_edit", args=[new_matter.public_id])))
    urls.append(("anon", reverse("public:index")))
    urls.append(("anon", reverse("public:matter", args=[matter.public_id])))
    urls.append(("staff", reverse("villages:village_detail", args=[village.code])))
    clients = {"staff": staff_client, "official": official_client, "anon": client}
    out = open(f"/tmp/h1/measure_{n}.txt", "w")
    for who, url in urls:
        c = clients[who]
        with CaptureQueriesContext(connection) as ctx:
            r = c.get(url)
            if hasattr(r, "streaming_content"):
                b"".join(r.streaming_content)
        out.write(f"{who:8} {r.status_code} {len(ctx.captured_queries):3} {url}\n")
    out.close()
