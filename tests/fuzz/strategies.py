"""Hypothesis strategies for what a browser, a script or a mistyped URL may send.

Values are Python strings that may hold NUL bytes and lone surrogates; ``encode`` turns them into the
bytes that would arrive over HTTP (surrogates as the raw, invalid UTF-8 a broken client sends).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from hypothesis import strategies as st

EDGE_DATES = [
    "0001-01-01",
    "9999-12-31",
    "9999-12-01",
    "0000-00-00",
    "0000-01-01",
    "2026-02-30",
    "2026-13-01",
    "2024-02-29",
    "1899-12-31",
    "1900-01-01",
    "2100-12-31",
    "2101-01-01",
    "10000-01-01",
    "-0001-01-01",
    "2026-1-1",
    "2026/01/01",
    "01/02/2026",
    "2026-01-01T00:00",
    " 2026-01-01 ",
    "2026-01-01\x00",
]
EDGE_PERIODS = [
    "0000-01",
    "9999-12",
    "0000-Q1",
    "9999-Q4",
    "0000",
    "9999",
    "0001",
    "2026-Q5",
    "2026-Q0",
    "2026-q3",
    "2026-Q",
    "2026-Q-1",
    "2026-00",
    "2026-13",
    "2026-1",
    "2026-",
    "-2026",
    "1999-12",
    "2101-01",
    "２０２６-01",
    "٢٠٢٦-01",
    "2026-10 ",
]
EDGE_NUMBERS = [
    "0",
    "-1",
    "1.5",
    "-0",
    "1e309",
    "-1e309",
    "1e-309",
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "0x10",
    "1_000",
    "١٢٣",
    "32767",
    "32768",
    "2147483647",
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "9" * 40,
]

EDGE_TEXTS = [
    "",
    " ",
    "\x00",
    "a\x00",
    "null",
    "None",
    "undefined",
    "[]",
    "{}",
    "true",
    "<b>x</b>",
    "%00",
    "../",
]
# The values that most often break a parser: a few of them are tried in every field whatever its type.
EDGES = st.sampled_from(EDGE_DATES + EDGE_PERIODS + EDGE_NUMBERS + EDGE_TEXTS)

# Every code point, surrogates and control characters included.
_any_char = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())

texts = st.text(alphabet=_any_char, max_size=40)
nul_texts = st.builds(lambda a, b: a + "\x00" + b, st.text(max_size=5), st.text(max_size=5))
long_texts = st.builds(
    lambda n, unit: unit * n,
    st.integers(min_value=200, max_value=12000),
    st.sampled_from(["长", "9", "a", "𝔘"]),
)
numbers = st.one_of(
    st.sampled_from(EDGE_NUMBERS),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.integers(min_value=-5, max_value=3000).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
dates = st.one_of(
    st.sampled_from(EDGE_DATES),
    st.dates().map(dt.date.isoformat),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)).map(dt.date.isoformat),
    st.tuples(
        st.integers(min_value=0, max_value=10000),
        st.integers(min_value=0, max_value=13),
        st.integers(min_value=0, max_value=32),
    ).map(lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"),
)
periods = st.one_of(
    st.sampled_from(EDGE_PERIODS),
    st.tuples(st.integers(min_value=0, max_value=9999), st.integers(min_value=0, max_value=13)).map(
        lambda t: f"{t[0]:04d}-{t[1]:02d}"
    ),
    st.tuples(st.integers(min_value=0, max_value=9999), st.integers(min_value=-1, max_value=6)).map(
        lambda t: f"{t[0]:04d}-Q{t[1]}"
    ),
    st.integers(min_value=0, max_value=99999).map(str),
)
codes = st.one_of(
    st.text(alphabet="0123456789", max_size=20),
    st.sampled_from(["513301000000", "513301101000", "513301101201", "000000000000", "999999999999"]),
)
uuids = st.one_of(
    st.uuids().map(str),
    st.sampled_from(["00000000-0000-0000-0000-000000000000", "not-a-uuid", "1234", "{}"]),
)
# Anything at all: what a script sends to a field it knows nothing about.
anything = st.one_of(
    EDGES,
    texts,
    nul_texts,
    long_texts,
    numbers,
    dates,
    periods,
    codes,
    uuids,
)


# The sweep: every field gets each of the worst values of its kind, the other fields filled in sensibly.
SWEEP = {
    "date": ["9999-12-31", "0001-01-01", "2026-02-30"],
    "number": ["99999999999999999999", "9" * 5000, "1e309"],
    "select": ["0000-01", "9999-12"],
    "hidden": ["99999999999999999999", "x"],
    "text": ["a\x00", "长" * 5000],
}
# and every GET parameter each of these
GET_SWEEP = ["0000-01", "9999-12", "9999-12-31", "99999999999999999999", "9" * 5000]
FILE_CONTENTS = [b"", b"%PDF-1.4\n%%EOF", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"\x00" * 64]


def sweep_kind(kind: str) -> str | None:
    """The SWEEP list a field of this input type gets; None for what has nothing to sweep."""
    if kind in ("checkbox", "submit", "image", "file"):
        return None
    kind = {"datetime-local": "date", "month": "date", "radio": "select"}.get(kind, kind)
    return kind if kind in SWEEP else "text"


def value_for(kind: str, *, options: list[str], baseline: str) -> st.SearchStrategy[str]:
    """A value for a field of ``kind``: mostly the kind of junk that field invites, sometimes anything."""
    real = [st.sampled_from(options)] if options else []
    if baseline:
        real.append(st.just(baseline))
    typed = {
        "date": [st.sampled_from(EDGE_DATES), dates],
        "datetime-local": [st.sampled_from(EDGE_DATES), dates],
        "month": [st.sampled_from(EDGE_PERIODS), periods],
        "number": [st.sampled_from(EDGE_NUMBERS), numbers],
        "select": [*real, EDGES, periods, codes],
        "hidden": [*real, EDGES, numbers, uuids],
        "checkbox": [st.sampled_from(["on", "true", "false", "1", "0"])],
        "radio": [*real],
        "submit": [*real],
    }.get(kind, [EDGES, texts, long_texts, dates, numbers])
    return st.one_of(*typed, anything)


def encode(value: str) -> str:
    """``value`` percent-encoded as UTF-8; a lone surrogate becomes the invalid bytes a client would send."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def encode_pairs(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{encode(key)}={encode(value)}" for key, value in pairs)


def wire_text(value: str) -> str:
    """``value`` as the server decodes it (invalid UTF-8 replaced): for multipart bodies."""
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
