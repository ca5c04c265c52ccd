"""The English catalogue is complete and compiled: every entry translated, the .mo as the .po says."""

import ast
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries():
    """(msgid, msgstr, flags) for each singular entry of the .po file."""
    for block in PO.read_text().split("\n\n"):
        if "msgid_plural" in block:
            continue
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        fields, current = {}, None
        for line in block.splitlines():
            match = re.match(r"^(msgctxt|msgid|msgstr) (\".*\")$", line)
            if match:
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if fields.get("msgid") and "msgctxt" not in fields:
            yield fields["msgid"], fields.get("msgstr", ""), flags


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = list(_entries())
    assert len(entries) > 500
    assert [msgid for msgid, msgstr, flags in entries if not msgstr or "fuzzy" in flags] == []


def test_the_compiled_catalogue_matches_the_source():
    with translation.override("en"):
        stale = [msgid for msgid, msgstr, _flags in _entries() if translation.gettext(msgid) != msgstr]
    assert stale == [], "run `make messages` to compile the catalogue"
