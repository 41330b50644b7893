"""The rights card's parts: the page's sections, the numbers to call.

Plain functions; the generator (generator.py) writes the card. Its QR code
is sitekit.core.qr's, like the event posters'."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

from markupsafe import Markup

# The rights card is a sheet of A4 folded twice: a cover and three panels.
CARD_PANELS = 3
# More text than this in one section (letters, spaces included) does not fit
# an A6 panel in print: such a section is left off the card, which names it
# on screen (it stays on the full page).
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
    # Headings of the sections not on the card: longer than a panel holds,
    # or after the panels are full; in the page's order.
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


def card_content(
    page_html: str, panels: int = CARD_PANELS, max_chars: int = CARD_PANEL_MAX_CHARS
) -> CardContent:
    """Split a page's HTML at its ``<h2>`` headings: the first paragraph
    before them is the card's introduction, the first ``panels`` sections
    that fit a panel (``max_chars``) fill the panels, and the headings of
    the others are returned in ``left_out``."""
    html = unlink(str(page_html))
    parts = _H2.split(html)
    lead = parts[0]
    first = re.search(r"<p\b[^>]*>.*?</p>", lead, re.S | re.I)
    content = CardContent(intro=Markup(first.group(0) if first else ""))
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        section = CardSection(Markup(heading.strip()), Markup(body.strip()))
        if section.length <= max_chars and len(content.sections) < panels:
            content.sections.append(section)
        else:
            content.left_out.append(text_of(heading))
    return content


def numbers_to_call(context: dict, limit: int) -> list[dict]:
    """The numbers the data files give, from the template context, each
    with what it is for: the emergency numbers (DANGER, labelled with the
    service's name), then the header's number (HOTLINE, with its label),
    each number once, at most ``limit``. Each is {number, tel, label,
    confirmed}; ``confirmed`` is the date a person called it, or None."""
    result: list[dict] = []
    seen: set[str] = set()
    picks = [(item, item["contact"]["name"]) for item in context.get("DANGER") or ()]
    if context.get("HOTLINE"):
        picks.append((context["HOTLINE"], context["HOTLINE"]["label"]))
    for item, label in picks:
        if item["tel"] not in seen and label:
            seen.add(item["tel"])
            confirmed = item["channel"]["confirmed"]
            result.append(
                {"number": item["number"], "tel": item["tel"], "label": label, "confirmed": confirmed}
            )
    return result[:limit]
