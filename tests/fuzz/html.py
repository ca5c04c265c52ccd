"""Read what a page offers a user: its links and its forms (action, method and every named field).

The standard library's HTMLParser is enough: the portal's templates are well formed, and the fuzz
test only needs names, types, values and options, not a DOM.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin


@dataclass
class Field:
    name: str
    kind: str  # the input's type ("text", "date", "hidden", "checkbox" …), "select" or "textarea"
    value: str = ""  # what the browser would send untouched ("" for an empty or unchecked field)
    options: list[str] = field(default_factory=list)  # select / radio / submit-button values
    checked: bool = False
    required: bool = False
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class Form:
    method: str  # "get" or "post"
    action: str  # absolute path (and query) the form is sent to
    enctype: str
    fields: dict[str, Field] = field(default_factory=dict)

    def signature(self) -> tuple:
        """Forms with the same action and field names are one target, whatever their values."""
        return (self.method, tuple(sorted(self.fields)))


class _PageParser(HTMLParser):
    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: dict | None = None
        self._textarea: Field | None = None

    def _url(self, href: str) -> str:
        return urldefrag(urljoin(self.base, href))[0]

    def handle_starttag(self, tag, attrs):
        a = {name: (value if value is not None else "") for name, value in attrs}
        if tag != "link":  # stylesheets are not pages
            self.links += [self._url(a[attr]) for attr in ("href", "hx-get") if a.get(attr)]
        if tag == "form":
            action = self._url(a.get("action") or self.base)
            method = (a.get("method") or "get").lower()
            enctype = a.get("enctype") or "application/x-www-form-urlencoded"
            self._form = Form(method=method, action=action, enctype=enctype)
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            existing = self._form.fields.get(name)
            if kind in ("radio", "submit", "image") and existing is not None:
                existing.options.append(a.get("value", ""))
                if "checked" in a:
                    existing.value = a.get("value", "on")
                return
            self._form.fields[name] = Field(
                name=name,
                kind=kind,
                value=a.get("value", "on" if kind in ("checkbox", "radio") else ""),
                options=[a.get("value", "")] if kind in ("radio", "submit", "image") else [],
                checked="checked" in a,
                required="required" in a,
                attrs=a,
            )
        elif tag == "button" and name:
            existing = self._form.fields.get(name)
            if existing is not None:
                existing.options.append(a.get("value", ""))
            else:
                value = a.get("value", "")
                self._form.fields[name] = Field(
                    name=name, kind="submit", value=value, options=[value], attrs=a
                )
        elif tag == "select" and name:
            self._select = Field(name=name, kind="select", required="required" in a, attrs=a)
            self._form.fields[name] = self._select
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
        elif tag == "textarea" and name:
            self._textarea = Field(name=name, kind="textarea", required="required" in a, attrs=a)
            self._form.fields[name] = self._textarea

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        elif self._textarea is not None:
            self._textarea.value += data

    def _close_option(self):
        if self._option is not None and self._select is not None:
            value = self._option["value"]
            value = self._option["text"].strip() if value is None else value
            self._select.options.append(value)
            if self._option["selected"]:
                self._select.value = value
        self._option = None

    def handle_endtag(self, tag):
        if tag == "option":
            self._close_option()
        elif tag == "select":
            self._close_option()
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def parse_page(html: str, base: str) -> tuple[list[str], list[Form]]:
    """The page's links (absolute, without fragments) and forms."""
    parser = _PageParser(base)
    parser.feed(html)
    parser.close()
    return parser.links, parser.forms
