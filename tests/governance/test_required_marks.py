"""Required fields are marked one way on every form: the label of every field with ``required`` holds
``<abbr class="required" title="必填">*</abbr>``, as templates/includes/form_fields.html writes it, on
the forms rendered by that include and on the ones typed by hand in a template alike.

Two checks: every page a township user, a county official and a visitor reach by following links (the
small accessibility data set, plus a locked period's exception form and a matter at each step) is
parsed and each required field's label is read; and every template of the project is read, so a
hand-typed required field on a page the crawl does not reach is caught too."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tests.browser.a11y_seed import seed
from tests.browser.test_form_labels import _kind_of_url, _matters_at_each_step, pages_with_fields

pytestmark = pytest.mark.django_db

FIELD_TAGS = {"input", "select", "textarea"}
NOT_FILLED_IN = {"hidden", "submit", "button", "reset", "image"}


class _Labels(HTMLParser):
    """Each field with ``required``, and the text and marks of each label (by ``for`` and by nesting)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.required: list[tuple[str, str, int | None]] = []  # (id, outer html, wrapping label index)
        self.labels: list[dict] = []  # {"for": id, "text": str, "marks": [(title, text)]}
        self._open: list[int] = []  # indexes of the labels being read
        self._abbr: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {name: (value if value is not None else "") for name, value in attrs}
        if tag == "label":
            self.labels.append({"for": a.get("for", ""), "text": "", "marks": []})
            self._open.append(len(self.labels) - 1)
        elif tag == "abbr" and "required" in a.get("class", "").split() and self._open:
            self._abbr = {"title": a.get("title", ""), "text": ""}
        elif tag in FIELD_TAGS and "required" in a and a.get("type", "text") not in NOT_FILLED_IN:
            html = "<" + tag + "".join(f' {k}="{v}"' for k, v in a.items()) + ">"
            self.required.append((a.get("id", ""), html, self._open[-1] if self._open else None))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "abbr" and self._abbr is not None:
            self.labels[self._open[-1]]["marks"].append((self._abbr["title"], self._abbr["text"].strip()))
            self._abbr = None
        elif tag == "label" and self._open:
            self._open.pop()

    def handle_data(self, data):
        if self._abbr is not None:
            self._abbr["text"] += data
        elif self._open:
            self.labels[self._open[-1]]["text"] += data


def unmarked_required_fields(html: str, *, title: str) -> list[str]:
    """The required fields of a page whose label lacks the mark (or that have no label at all)."""
    parser = _Labels()
    parser.feed(html)
    problems = []
    for field_id, field_html, wrapping in parser.required:
        labels = [label for label in parser.labels if field_id and label["for"] == field_id]
        if wrapping is not None:
            labels.append(parser.labels[wrapping])
        if not labels:
            problems.append(f"{field_html} has no label")
        elif not any((title, "*") in label["marks"] and label["text"].strip() for label in labels):
            problems.append(
                f"{field_html}: label {[label['text'].strip() for label in labels]} lacks the mark"
            )
    return problems


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# ---------------------------------------------------------------- the parser itself


def test_the_check_tells_a_marked_label_from_an_unmarked_one():
    mark = '<abbr class="required" title="必填">*</abbr>'
    marked_for = f'<label for="id_a">甲 {mark}</label><input id="id_a" name="a" required>'
    marked_nested = f'<label>乙 {mark}<input type="text" name="b" required></label>'
    unmarked = '<label>丙<input type="text" name="c" required></label>'
    wrong_title = '<label>丁 <abbr class="required" title="x">*</abbr><input name="d" required></label>'
    optional = '<label>戊<input name="e"></label><input type="hidden" name="f" required>'
    assert unmarked_required_fields(marked_for + marked_nested + optional, title="必填") == []
    assert len(unmarked_required_fields(unmarked, title="必填")) == 1
    assert len(unmarked_required_fields(wrong_title, title="必填")) == 1
    assert len(unmarked_required_fields('<input name="g" required>', title="必填")) == 1


# ---------------------------------------------------------------- every rendered form


@pytest.fixture
def seeded(staff, official, township, village):
    return seed(township=township, village=village, staff=staff)


@pytest.fixture
def locked_draft(official, village, staff):
    """A draft of a locked period: the county page offers 开放例外 with a reason (typed by hand)."""
    from tests.supervision.factories import PeriodFactory, ReportFactory

    period = PeriodFactory(year=2024, number=1)
    return ReportFactory(village=village, period=period, status="draft", created_by=staff)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_required_field_the_crawl_reaches_is_marked(
    language, staff, official, village, seeded, locked_draft
):
    with translation.override(language):
        title = translation.gettext("必填")
    pages: dict[str, list[str]] = {
        "staff": pages_with_fields(_client(staff), ["/"]) + _matters_at_each_step(village, staff),
        "official": pages_with_fields(
            _client(official),
            [
                "/",
                f"/supervision/r/{seeded.submitted_report_id}/",
                f"/supervision/r/{locked_draft.public_id}/",
            ],
        ),
        "visitor": pages_with_fields(_client(), ["/public/", "/accounts/login/"]),
    }
    clients = {"staff": _client(staff), "official": _client(official), "visitor": _client()}
    problems, required_seen, routes = [], 0, set()
    for who, urls in pages.items():
        client = clients[who]
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for url in urls:
            response = client.get(url)
            html = response.content.decode()
            routes.add(_kind_of_url(url).split("?")[0])
            required_seen += len(re.findall(r"<(?:input|select|textarea)\b[^>]*\srequired\b", html))
            problems += [f"{who} {url}: {p}" for p in unmarked_required_fields(html, title=title)]
    assert not problems, "\n".join(problems)
    # The crawl reached the hand-typed required fields: login, close-item note, exception reason.
    assert {"/accounts/login/", "/supervision/r/<uuid>/", "/cadres/people/new/"} <= routes, routes
    assert required_seen > 20, required_seen
    # The hand-typed ones among them: the login's two fields, the locked draft's exception reason.
    locked = clients["official"].get(f"/supervision/r/{locked_draft.public_id}/").content.decode()
    assert re.search(r'<input type="text" name="reason" required', locked)
    assert (
        len(re.findall(r"<input[^>]*\srequired", clients["visitor"].get("/accounts/login/").content.decode()))
        == 2
    )


# ---------------------------------------------------------------- every template


def _template_dirs() -> list[Path]:
    from django.template import engines

    dirs = []
    for engine in engines.all():
        for loader in engine.engine.template_loaders:
            for inner in getattr(loader, "loaders", [loader]):
                dirs += [Path(d) for d in inner.get_dirs()]
    base = Path(settings.BASE_DIR)
    # The project's own (the top-level dir and any app's); third-party templates are not ours to mark.
    return [d for d in dirs if d.is_relative_to(base) and ".venv" not in d.relative_to(base).parts]


HAND_TYPED = re.compile(r"<(input|select|textarea)\b[^>]*\srequired\b[^>]*>")
MARK = """<abbr class="required" title="{% translate '必填' %}">*</abbr>"""


def test_every_required_field_typed_by_hand_in_a_template_is_marked():
    """A template's own ``<input … required>`` sits in a label holding the same mark as form_fields.html."""
    problems, found = [], 0
    for directory in _template_dirs():
        for path in directory.rglob("*.html"):
            text = path.read_text()
            for match in HAND_TYPED.finditer(text):
                found += 1
                label_start = text.rfind("<label", 0, match.start())
                label_end = text.rfind("</label>", 0, match.start())
                label = text[label_start : match.start()] if label_start > label_end else ""
                if MARK not in label:
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(f"{path.relative_to(settings.BASE_DIR)}:{line}: {match.group(0)[:80]}")
    assert not problems, "\n".join(problems)
    assert found >= 5, found  # login (2), the close-item note, the exception reason (grid, report page)
