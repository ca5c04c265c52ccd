"""Send fuzzed requests as one user and collect every server error, with what caused it."""

from __future__ import annotations

import datetime as dt
import os
import time
import traceback
import uuid
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from tests.fuzz import strategies as fs
from tests.fuzz.discovery import Discovery, Leaf, route_of
from tests.fuzz.html import Field, Form, parse_page

FUZZ_SEED = int(os.environ.get("FUZZ_SEED", "0"))


@dataclass
class Failure:
    role: str
    method: str
    url: str
    data: object
    status: int
    error: str

    def __str__(self) -> str:
        data = repr(self.data)
        data = data if len(data) < 600 else data[:600] + "…"
        return f"[{self.role}] {self.method} {self.url[:300]} → {self.status}\n  data: {data}\n  {self.error}"


@dataclass
class Session:
    """One role's browser: a test Client that never raises, each request in its own savepoint.

    A request that fails with a database error would otherwise leave the test's transaction aborted
    and every later request failing with it.
    """

    role: str
    user: object | None
    failures: list[Failure]
    client: Client = field(init=False)
    requests: int = 0
    seconds: Counter = field(default_factory=Counter)  # route → time spent, to keep the run bounded

    def __post_init__(self):
        self.log_in()

    def log_in(self):
        # A fuzzed form may have logged the user out or changed their password: start fresh.
        self.client = Client(raise_request_exception=False)
        if self.user is not None:
            self.client.force_login(self.user)

    def request(self, method, url, *, body=None, multipart=None, data=None, headers=None):
        self.requests += 1
        started = time.perf_counter()
        try:
            return self._request(method, url, body=body, multipart=multipart, data=data, headers=headers)
        finally:
            match = route_of(url)
            self.seconds[(method, match.route if match else "?")] += time.perf_counter() - started

    def _request(self, method, url, *, body, multipart, data, headers):
        sid = transaction.savepoint()
        try:
            if method == "GET":
                response = self.client.get(url, headers=headers)
            elif multipart is not None:
                response = self.client.post(url, data=multipart, headers=headers)
            else:
                response = self.client.post(
                    url, data=body or "", content_type="application/x-www-form-urlencoded", headers=headers
                )
            if response.streaming:
                b"".join(response.streaming_content)  # an export fails while streaming, not before
        except Exception as exc:  # the client or a stream raised: as good as a 500
            transaction.savepoint_rollback(sid)
            transaction.set_rollback(False)
            self._record(method, url, data, 500, _project_frames(exc))
            return None
        if response.status_code >= 500:
            transaction.savepoint_rollback(sid)
            transaction.set_rollback(False)
            error = _project_frames(response.exc_info[1]) if response.exc_info else ""
            self._record(method, url, data, response.status_code, error)
        else:
            transaction.savepoint_commit(sid)
        return response

    def _record(self, method, url, data, status, error):
        self.failures.append(Failure(self.role, method, url, data, status, error.strip()))


ROOT = str(Path(__file__).resolve().parents[2])


def _project_frames(exc: BaseException) -> str:
    """The exception with the frames of the project's own code (where a fix would go)."""
    frames = [
        f"{frame.filename.removeprefix(ROOT + '/')}:{frame.lineno} {frame.name}: {frame.line}"
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename.startswith(ROOT)
        and "/.venv/" not in frame.filename
        and "/tests/" not in frame.filename
    ]
    return "\n  ".join([*frames[-4:], f"{type(exc).__name__}: {str(exc)[:300]}"])


def run_examples(key: str, examples: int, body, *, budget: float = 3.0) -> None:
    """Run ``body(data)`` for ``examples`` hypothesis examples, seeded by ``key`` (repeatable runs).

    ``body`` records failures instead of raising, so nothing is shrunk: the run stays bounded. A
    target whose pages are slow gets as many examples as fit in ``budget`` seconds (at least one).
    """
    started = time.perf_counter()
    _examples(key, 1, body)
    if examples > 1:
        each = time.perf_counter() - started
        _examples(key + "#", min(examples - 1, max(1, int(budget / max(each, 1e-3)) - 1)), body)


def _examples(key: str, examples: int, body) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @seed(zlib.crc32(key.encode()) ^ FUZZ_SEED)
    @given(st.data())
    def run(data):
        body(data)

    run()


# ------------------------------------------------------------------ building requests


def baseline(fld: Field) -> str | None:
    """What a user who fills the form in sensibly sends for ``fld`` (None: nothing is sent)."""
    if fld.kind == "hidden" and "token" in fld.name and _is_uuid(fld.value):
        # A one-time submission token: a fresh page gives a fresh one, and a used one only replays
        # the first answer, so each request gets its own.
        return str(uuid.uuid4())
    if fld.kind in ("checkbox", "radio"):
        return fld.value if fld.checked or fld.kind == "radio" and fld.options else None
    if fld.kind == "select":
        real = [o for o in fld.options if o]
        return fld.value or (real[0] if real else "")
    if fld.kind == "submit":
        return fld.options[0] if fld.options else fld.value
    if fld.value:
        return fld.value
    if fld.kind == "date":
        return dt.date.today().isoformat()
    if fld.kind == "number":
        return fld.attrs.get("min") or "1"
    if fld.kind == "email":
        return "someone@example.org"
    if fld.kind == "file":
        return None
    return "测试内容" if fld.kind == "textarea" else "测试"


HIDDEN_KINDS = ("hidden", "submit", "image")


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def baseline_pairs(form: Form, **override: str) -> list[tuple[str, str]]:
    pairs = []
    for name, fld in sorted(form.fields.items()):
        value = override.get(name, baseline(fld))
        if value is not None:
            pairs.append((name, value))
    return pairs


def send_form(session: Session, form: Form, pairs, files=None, *, follow: bool = True):
    """Post ``pairs`` as the browser would (url-encoded, or multipart with ``files``). After a
    redirect, open the page the user lands on and take the next step it offers: a record saved with
    an odd value must break neither its own page nor the steps that follow."""
    if "multipart" in form.enctype:
        multipart: dict[str, list] = {}
        for name, value in pairs:
            multipart.setdefault(name, []).append(fs.wire_text(value))
        multipart.update(files or {})
        response = session.request("POST", form.action, multipart=multipart, data=pairs)
    else:
        response = session.request("POST", form.action, body=fs.encode_pairs(pairs), data=pairs)
    if not follow or response is None or response.status_code not in (302, 303):
        return response
    location = response.get("Location", "")
    if route_of(location) is None:
        return response
    landing = session.request("GET", location, data={"after": form.action})
    if landing is None or landing.status_code != 200 or "text/html" not in landing.get("Content-Type", ""):
        return response
    _links, forms = parse_page(landing.content.decode("utf-8", "replace"), location)
    # The next steps on the record just saved: its page's forms that post below its own URL.
    here = urlsplit(location).path
    next_steps = [f for f in forms if f.method == "post" and urlsplit(f.action).path.startswith(here)]
    for step in next_steps[:1]:
        send_form(session, step, baseline_pairs(step), follow=False)
    return response


def sweep_form(session: Session, form: Form, *, budget: float, kinds=None) -> None:
    """Each field in turn gets each of its kind's worst values, the other fields filled in sensibly:
    the values that reach the rules behind a form, which junk in every field at once never does.
    Value by value across all fields, so a slow form that runs out of ``budget`` still tried each.
    ``kinds`` limits the sweep to fields of those kinds ("date", "number" …)."""
    started = time.perf_counter()
    fields = [(name, fs.sweep_kind(fld.kind)) for name, fld in sorted(form.fields.items())]
    fields = [
        (name, fs.SWEEP[kind])
        for name, kind in fields
        if kind and (kinds is None or kind in kinds) and name != "csrfmiddlewaretoken"
    ]
    for index in range(max((len(values) for _name, values in fields), default=0)):
        for name, values in fields:
            if index < len(values) and time.perf_counter() - started < budget:
                send_form(session, form, baseline_pairs(form, **{name: values[index]}))


def sweep_get(session: Session, url: str, names: list[str], *, budget: float) -> None:
    """Each GET parameter in turn gets each of the worst values (what the page's own link has stays)."""
    started = time.perf_counter()
    base, _, query = url.partition("?")
    for value in fs.GET_SWEEP:
        for name in names:
            if time.perf_counter() - started < budget:
                pairs = [(name, value)]
                query_string = "&".join(p for p in [query, fs.encode_pairs(pairs)] if p)
                session.request("GET", f"{base}?{query_string}", data=pairs)


def draw_form_data(data, form: Form) -> list[tuple[str, str]]:
    """The form as sent: either one field fuzzed and the others filled in sensibly (to get past the
    form to the rules behind it), or many fields fuzzed, dropped or repeated."""
    names = sorted(form.fields)
    pairs: list[tuple[str, str]] = []
    only = None
    if names and data.draw(st.booleans()):
        # Mostly a field the user types into; sometimes a hidden one (version, token, csrf).
        visible = [name for name in names if form.fields[name].kind not in HIDDEN_KINDS] or names
        only = data.draw(st.sampled_from(visible if data.draw(st.integers(0, 4)) else names))
    for name in names:
        fld = form.fields[name]
        base = baseline(fld)
        if only is not None:
            action = "fuzz" if name == only else "keep"
        else:
            action = data.draw(st.sampled_from(["keep", "fuzz", "fuzz", "drop", "repeat"]))
        if action == "keep":
            if base is not None:
                pairs.append((name, base))
            continue
        if action == "drop":
            continue
        value = data.draw(fs.value_for(fld.kind, options=fld.options, baseline=base or ""))
        pairs.append((name, value))
        if action == "repeat":
            pairs.append((name, data.draw(fs.value_for(fld.kind, options=fld.options, baseline=base or ""))))
    if data.draw(st.integers(min_value=0, max_value=9)) == 0:
        pairs.append(
            (data.draw(st.sampled_from(["id", "pk", "user", "next", "format"])), data.draw(fs.anything))
        )
    return pairs


def post_form(session: Session, data, form: Form) -> None:
    pairs = draw_form_data(data, form)
    files = {}
    for name, fld in form.fields.items():
        if fld.kind == "file" and data.draw(st.booleans()):
            content = data.draw(st.sampled_from(fs.FILE_CONTENTS))
            filename = fs.wire_text(data.draw(st.sampled_from(["a.pdf", "b.png", "c.jpg", "d.exe", "x"])))
            files[name] = [SimpleUploadedFile(filename, content)]
    send_form(session, form, pairs, files)


def get_page(session: Session, data, discovery: Discovery, route: str, global_params: list[str]) -> None:
    url = data.draw(st.sampled_from(discovery.pages[route]))
    known = discovery.get_params.get(route, {})
    names = sorted(known)
    pairs: list[tuple[str, str]] = []
    if names:
        chosen = data.draw(st.lists(st.sampled_from(names), max_size=len(names) + 1))
        for name in chosen:
            kind = discovery.get_kinds.get((route, name), "text")
            pairs.append((name, data.draw(fs.value_for(kind, options=sorted(known[name]), baseline=""))))
    if global_params and data.draw(st.booleans()):
        # A parameter another page takes: views read more of request.GET than their forms show.
        pairs.append((data.draw(st.sampled_from(global_params)), data.draw(fs.anything)))
    base, _, query = url.partition("?")
    query = "&".join(p for p in [query if data.draw(st.booleans()) else "", fs.encode_pairs(pairs)] if p)
    headers = {"HX-Request": "true"} if data.draw(st.booleans()) else None
    session.request("GET", base + ("?" + query if query else ""), data=pairs, headers=headers)


def _path_value(data, name: str, converter, pool: dict[str, set[str]]) -> str:
    choices = []
    if pool.get(name):
        choices.append(st.sampled_from(sorted(pool[name])))
    if converter is not None:
        choices.append(st.from_regex(converter.regex, fullmatch=True))
        if type(converter).__name__ == "IntConverter":
            choices.append(st.integers(min_value=0, max_value=10**30).map(str))
    choices.append(fs.anything.filter(lambda v: v and "/" not in v))
    return data.draw(st.one_of(*choices))


def fuzz_path(session: Session, data, leaf: Leaf, pool: dict[str, set[str]]) -> None:
    """A URL of ``leaf`` with real keys, random keys of the converter's shape, or junk."""
    fmt, params = data.draw(st.sampled_from(leaf.formats)) if leaf.formats else ("", ())
    if data.draw(st.booleans()) or not leaf.formats:
        path = data.draw(st.from_regex(leaf.regex, fullmatch=True))
    else:
        path = fmt % {name: _path_value(data, name, leaf.converters.get(name), pool) for name in params}
    url = "/" + fs.encode(path).replace("%2F", "/")
    if data.draw(st.booleans()):
        session.request("GET", url, data=None)
    else:
        pairs = [(data.draw(st.sampled_from(["reason", "on", "version", "x"])), data.draw(fs.anything))]
        session.request("POST", url, body=fs.encode_pairs(pairs), data=pairs)
