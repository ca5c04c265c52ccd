"""Query counts pinned at two data sizes for the pages whose lists, choices or panels grow with data:
every export, every create and edit form, the village page, and the public board's index and notice.

Each bound is the count measured at 3 rows plus one, and the SAME bound must hold at 30 rows: a
query per row (N+1) shows as a failure naming the page. List and detail pages are pinned next to
their own tests in each app.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadres.models import Committee, Person, Position
from decisions.models import Matter, StepKind
from supervision.models import Kind
from tests.cadres.factories import (
    DevelopmentFactory,
    EvaluationFactory,
    PersonFactory,
    PostFactory,
    ReserveCadreFactory,
)
from tests.decisions.factories import MatterFactory, advance
from tests.factories import VillageFactory
from tests.supervision.factories import PeriodFactory, RectificationFactory, ReportFactory
from tests.training.factories import reserve_attended

pytestmark = pytest.mark.django_db

SIZES = [3, 30]

# Measured: session, user, then the export's one query (two when it also reads a setting row).
EXPORTS = {
    "villages:village_list": 4,
    "cadres:index": 4,
    "cadres:post_list": 4,
    "cadres:evaluation_list": 4,
    "cadres:development_list": 4,
    "cadres:reserve_list": 4,
    "cadres:compliance": 6,  # and the counties' quotas
    "supervision:index": 4,
    "decisions:index": 5,
}
CADRE_FORMS = {
    "cadres:person_create": 5,
    "cadres:post_create": 6,
    "cadres:evaluation_create": 6,
    "cadres:development_create": 6,
    "cadres:reserve_create": 6,
}
PERSON_EDIT = 6
REPORT_NEW = 7
REPORT_NEW_FOR_A_VILLAGE = 15  # a quarter for a village: also the lock check and its months' roll-up
REPORT_EDIT = 8
MATTER_CREATE = 5
MATTER_EDIT = 8
PUBLIC_INDEX = 3
PUBLIC_MATTER = 3
# Every app's panel (19 measured with [7/10]'s branch list and standards; +1 compacts, +1 first secretary,
# +2 mediation: the committee and the open disputes).
VILLAGE_PAGE = 24


def _get(client, url, *, bound, assert_max, **params):
    """GET ``url`` (consuming a streamed export inside the count) and check its status."""
    with assert_max(bound, info=f"{url} {params}"):
        response = client.get(url, params)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, f"{url} {params}"
    return response


# ---------------------------------------------------------------- data


def _villages(township, n, first):
    """n more villages of ``township`` with codes from ``first`` (clear of the fixtures' 201)."""
    return [VillageFactory(township=township, code=f"{township.code[:9]}{first + k:03d}") for k in range(n)]


def _cadres(village, n):
    """n people of ``village``, each with a post, an evaluation, an application and a reserve place."""
    positions = [Position.MEMBER, Position.DEPUTY_DIRECTOR]
    for k in range(n):
        person = PersonFactory(home_village=village, is_returning_migrant=k % 2 == 0)
        PostFactory(village=village, person=person, committee=Committee.VILLAGERS, position=positions[k % 2])
        EvaluationFactory(village=village, person=person, year=2025)
        DevelopmentFactory(village=village, person=person)
        reserve_attended(ReserveCadreFactory(village=village, person=person, mentor=None))


def _reports(village, n):
    """n villages of ``village``'s township with a March report, and n open items carried into
    ``village``'s own March report from January."""
    march = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3)
    for other in _villages(village.township, n, 300):
        ReportFactory(village=other, period=march)
    january = ReportFactory(village=village, period=PeriodFactory(kind=Kind.MONTHLY, year=2025, number=1))
    for _k in range(n):
        RectificationFactory(opened_in=january)
    return ReportFactory(village=village, period=march)


def _matters(village, staff, n):
    """n disclosed matters, each in a village of its own (so the board's lists grow too)."""
    for other in _villages(village.township, n, 500):
        advance(MatterFactory(village=other, created_by=staff), user=staff, through=StepKind.DISCLOSE_RESULT)


# ---------------------------------------------------------------- exports


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("who", ["staff_client", "official_client"])
def test_every_export_runs_a_fixed_number_of_queries(
    request, who, size, village, staff, django_assert_max_num_queries
):
    _cadres(village, size)
    _reports(village, size)
    _matters(village, staff, size)
    client = request.getfixturevalue(who)
    for name, bound in EXPORTS.items():
        for fmt in ("csv", "xlsx"):
            _get(client, reverse(name), bound=bound, assert_max=django_assert_max_num_queries, export=fmt)


# ---------------------------------------------------------------- create and edit forms


@pytest.mark.parametrize("size", SIZES)
def test_every_cadre_form_runs_a_fixed_number_of_queries(
    staff_client, village, size, django_assert_max_num_queries
):
    # The person and village choices grow with the data: each option is labelled without a query.
    _cadres(village, size)
    _villages(village.township, size, 700)
    for name, bound in CADRE_FORMS.items():
        response = _get(staff_client, reverse(name), bound=bound, assert_max=django_assert_max_num_queries)
        if "person" in response.context["form"].fields:
            assert len(response.context["form"].fields["person"].queryset) >= size, name
    person = Person.objects.first()
    edit = reverse("cadres:person_edit", args=[person.public_id])
    _get(staff_client, edit, bound=PERSON_EDIT, assert_max=django_assert_max_num_queries)


@pytest.mark.parametrize("size", SIZES)
def test_the_report_forms_run_a_fixed_number_of_queries(
    staff_client, village, size, django_assert_max_num_queries
):
    report = _reports(village, size)
    ReportFactory(village=village, period=PeriodFactory(kind=Kind.MONTHLY, year=2025, number=2))
    _get(
        staff_client,
        reverse("supervision:report_new"),
        bound=REPORT_NEW,
        assert_max=django_assert_max_num_queries,
    )
    _get(
        staff_client,
        reverse("supervision:report_new"),
        bound=REPORT_NEW_FOR_A_VILLAGE,
        assert_max=django_assert_max_num_queries,
        village=village.code,
        period="2025-Q1",
    )
    edit = reverse("supervision:report_edit", args=[report.public_id])
    _get(staff_client, edit, bound=REPORT_EDIT, assert_max=django_assert_max_num_queries)


@pytest.mark.parametrize("size", SIZES)
def test_the_matter_forms_run_a_fixed_number_of_queries(
    staff_client, village, staff, size, django_assert_max_num_queries
):
    _matters(village, staff, size)
    create = _get(
        staff_client,
        reverse("decisions:matter_create"),
        bound=MATTER_CREATE,
        assert_max=django_assert_max_num_queries,
    )
    assert len(create.context["form"].fields["village"].queryset) == size + 1
    matter = MatterFactory(village=village, created_by=staff)
    edit = reverse("decisions:matter_edit", args=[matter.public_id])
    _get(staff_client, edit, bound=MATTER_EDIT, assert_max=django_assert_max_num_queries)


# ---------------------------------------------------------------- pages that gather many records


@pytest.mark.parametrize("size", SIZES)
def test_the_public_index_and_notice_run_a_fixed_number_of_queries(
    client, village, staff, size, django_assert_max_num_queries
):
    _matters(village, staff, size)
    _get(client, reverse("public:index"), bound=PUBLIC_INDEX, assert_max=django_assert_max_num_queries)
    matter = Matter.objects.order_by("pk").last()
    notice = reverse("public:matter", kwargs={"public_id": matter.public_id})
    _get(client, notice, bound=PUBLIC_MATTER, assert_max=django_assert_max_num_queries)


@pytest.mark.parametrize("size", SIZES)
def test_the_village_page_runs_a_fixed_number_of_queries_whatever_its_records(
    staff_client, village, staff, size, django_assert_max_num_queries
):
    """The village page carries every app's panel: history, roster, bench, reports, items, matters."""
    for n in range(size):
        village.name_bo = f"v{n}"
        village.save()
    _cadres(village, size)
    _reports(village, size)
    for _k in range(size):
        advance(MatterFactory(village=village, created_by=staff), user=staff, through=StepKind.RESOLVE)
    url = reverse("villages:village_detail", args=[village.code])
    _get(staff_client, url, bound=VILLAGE_PAGE, assert_max=django_assert_max_num_queries)
