"""Things to print: the parts of the rights card, the numbers to call, QR codes.

Plain functions; the generator (generator.py) writes the pages."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html import unescape

import segno
from markupsafe import Markup

# The rights card is a sheet of A4 folded twice: a cover and three panels.
CARD_PANELS = 3
# More text than this in one panel (letters, spaces included) may not fit
# an A6 panel in print; the build warns.
CARD_PANEL_MAX_CHARS = 1100


@dataclass
class CardSection:
    heading: str
    html: Markup

    @property
    def length(self) -> int:
        return len(text_of(self.heading)) + len(text_of(self.html))


@dataclass
class CardContent:
    intro: Markup = field(default_factory=lambda: Markup(""))
    sections: list[CardSection] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


_H2 = re.compile(r"<h2\b[^>]*>(.*?)</h2>", re.S | re.I)
_LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def text_of(html: str) -> str:
    """Plain text of a bit of HTML: tags dropped, entities decoded."""
    return " ".join(unescape(_TAG.sub(" ", str(html))).split())


def unlink(html: str) -> str:
    """Links are no use on paper: keep their text."""
    return _LINK.sub(r"\1", html)


def card_content(page_html: str, panels: int = CARD_PANELS) -> CardContent:
    """Split a page's HTML at its ``<h2>`` headings: the first paragraph
    before them is the card's introduction, the first ``panels`` sections
    fill the panels, and the headings of any further ones are returned in
    ``left_out`` (the build warns about them)."""
    html = unlink(str(page_html))
    parts = _H2.split(html)
    lead = parts[0]
    first = re.search(r"<p\b[^>]*>.*?</p>", lead, re.S | re.I)
    content = CardContent(intro=Markup(first.group(0) if first else ""))
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        section = CardSection(Markup(heading.strip()), Markup(body.strip()))
        if len(content.sections) < panels:
            content.sections.append(section)
        else:
            content.left_out.append(text_of(heading))
    return content


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number or "")


def numbers_to_call(context: dict) -> list[dict]:
    """The numbers the data files give, from the template context: the
    help number (HOTLINE) first, then every organisation with a phone, each
    number once. Each is {number, tel, label}."""
    result: list[dict] = []
    seen: set[str] = set()

    def add(number, tel, label):
        key = _digits(tel or number)
        if key and key not in seen:
            seen.add(key)
            result.append({"number": number, "tel": tel or "+" + key, "label": label or ""})

    hotline = context.get("HOTLINE")
    if hotline:
        add(hotline.get("number"), hotline.get("tel"), hotline.get("label"))
    orgs = list(context.get("REHABILITATION") or [])
    for region in context.get("LEGAL_HELP") or []:
        orgs += region.get("organisations") or []
    for org in orgs:
        if org.get("phone"):
            add(org["phone"], None, org.get("name"))
    return result


def qr_svg(url: str) -> Markup:
    """A QR code that opens ``url``, as SVG to put into the page itself (no
    request, nothing to lose when the page is saved). It has no width or
    height of its own: the stylesheet sets them. The page labels it, so the
    SVG is hidden from screen readers."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", border=4, omitsize=True, xmldecl=False, svgclass="qr", dark="#000")
    svg = out.getvalue().decode("ascii")
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))
