"""Writes, in each language's run: the share images, the event posters, the
rights card and (main language only) robots.txt; and puts ``reach`` into
the template context, which the theme's partials use for the Open Graph
tags and the share links.

``generate_context`` runs after Pelican's pages are read and before any
page is written, so every template sees the images' final addresses."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pelican.generators import Generator

from sitekit.build import absolute_root, once_per_build
from sitekit.core.errors import ContentError
from sitekit.plugins.editorial.status import STATUS_URL
from sitekit.plugins.events.generator import build_now, event_url, make_view
from sitekit.plugins.events.model import load_events
from sitekit.plugins.multilang import multilang

from . import images, links, printed

log = logging.getLogger(__name__)

SHARE_DIR = "share"
POSTER = "poster/"  # below an event's address
CARD = "card/"  # below the rights page's address
# Where an editor's own share image must be: the folder pelicanconf.py's
# STATIC_PATHS copies into the site.
IMAGES_DIR = "images"
CUSTOM_IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


@dataclass
class ShareImage:
    """One og:image: where it is, its size and its text alternative.
    ``text`` is what to draw; None for an image an editor supplied."""

    url: str
    width: int
    height: int
    alt: str
    type: str = "image/png"
    text: images.CardText | None = None
    output: str = ""  # relative to the language's output folder


@dataclass
class Printable:
    url: str  # relative to the language root, ends with /
    qr_target: str  # absolute


class Reach:
    """What the templates get as ``reach`` (one per language run)."""

    def __init__(self, settings: dict, lang: str, default_image: ShareImage):
        self.settings = settings
        self.lang = lang
        self.default_image = default_image
        self.page_images: dict[str, ShareImage] = {}
        self.event_images: dict[str, ShareImage] = {}
        self.posters: dict[str, Printable] = {}
        self.card: tuple[str, Printable] | None = None  # (source path of the page, card)

    # -- used by the templates

    def image(self, page=None, event=None) -> ShareImage:
        """An information page's or an event's own image; else the default."""
        if event is not None and getattr(event, "slug", None) in self.event_images:
            return self.event_images[event.slug]
        source = getattr(page, "source_path", None)
        if source in self.page_images:
            return self.page_images[source]
        return self.default_image

    def title(self, page=None, event=None, document_title="") -> str:
        """The page's own title (an event's, a page's or a post's), else the
        document's <title> without the site's name after it."""
        if event is not None and getattr(event, "title", ""):
            return plain_title(event.title)
        if page is not None and getattr(page, "title", ""):
            return plain_title(page.title)
        text = plain_title(document_title)
        site = self.settings.get("SITENAME", "")
        suffix = f" | {site}"
        return text[: -len(suffix)] if site and text.endswith(suffix) and text != suffix else text

    def absolute(self, url: str) -> str:
        return links.absolute(self.settings, url)

    def share_links(self, url: str, title: str) -> list[links.ShareLink]:
        return links.share_links(self.absolute(url), title)

    def og_locale(self, lang: str) -> str:
        return links.og_locale(self.settings, lang)

    def poster_url(self, event) -> str | None:
        poster = self.posters.get(getattr(event, "slug", None))
        return poster.url if poster else None

    def card_url(self, page) -> str | None:
        if self.card and getattr(page, "source_path", None) == self.card[0]:
            return self.card[1].url
        return None

    # -- used by the generator

    def all_images(self) -> list[ShareImage]:
        return [self.default_image, *self.page_images.values(), *self.event_images.values()]


def custom_image(settings: dict, page, abs_root: str) -> ShareImage | None:
    """A page's own picture from its front matter (``Share_image``: a path
    below content/, e.g. images/june-26.png; ``Share_image_alt``: what it
    shows). Checked here: the file exists, is PNG or JPEG, has alt text."""
    meta = page.metadata
    value = str(meta.get("share_image") or "").strip()
    if not value:
        return None
    rel = value.removeprefix("{static}").lstrip("/")
    path = Path(settings["PATH"]) / rel
    if not path.is_file():
        raise ContentError(page.source_path, "Share_image", f"{rel}: no such file below content/")
    if PurePosixPath(rel).parts[0] != IMAGES_DIR:
        raise ContentError(page.source_path, "Share_image", f"{rel}: put share images in content/images/")
    try:
        from PIL import Image

        with Image.open(path) as picture:
            kind, (width, height) = picture.format, picture.size
    except OSError:
        kind, width, height = None, 0, 0
    if kind not in CUSTOM_IMAGE_TYPES:
        raise ContentError(page.source_path, "Share_image", f"{rel}: must be a PNG or JPEG picture")
    alt = " ".join(str(meta.get("share_image_alt") or "").split())
    if not alt:
        raise ContentError(
            page.source_path, "Share_image_alt", "missing: say in a few words what the picture shows"
        )
    return ShareImage(f"{abs_root}/{rel}", width, height, alt, CUSTOM_IMAGE_TYPES[kind])


def plain_title(title) -> str:
    return printed.text_of(title)


class ReachGenerator(Generator):
    def generate_context(self):
        settings = self.settings
        self.lang = lang = settings["DEFAULT_LANG"]
        self.main = settings["MAIN_LANG"]
        root = absolute_root(settings)
        self.abs_lang_root = multilang.language_root(root, lang, self.main)
        self.site = settings.get("SITENAME", "")
        strings = self.env.get_template("partials/reach_strings.html").module
        tagline = str(strings.tagline()).strip()
        self.cache_dir = Path(settings["CACHE_PATH"]) / "share-images"

        default = self._drawn(
            images.CardText(lang, self.site, self.site, tagline), "site", f"{self.site}: {tagline}"
        )
        self.reach = reach = Reach(settings, lang, default)

        index = settings.get("TRANSLATION_INDEX") or {}
        self.index = index
        for page in self.context.get("pages", []) + self.context.get("hidden_pages", []):
            title = plain_title(page.title)
            try:
                own = custom_image(settings, page, root)
            except ContentError as exc:
                log.error("%s", exc)  # Pelican would only say which generator failed
                raise
            reach.page_images[page.source_path] = own or self._drawn(
                images.CardText(lang, self.site, title), page.slug, title
            )

        self._events(reach)
        self._card(reach)
        self.context["reach"] = reach
        # Start drawing the missing images now: it runs while Pelican writes
        # the pages, and generate_output waits for it.
        self.drawn = [image for image in reach.all_images() if image.text is not None]
        self.batch = images.Batch((image.text for image in self.drawn), self.cache_dir)

    def _drawn(self, text: images.CardText, name: str, alt: str) -> ShareImage:
        rel = f"{SHARE_DIR}/{name}-{images.image_key(text)[:12]}.png"
        return ShareImage(
            f"{self.abs_lang_root}/{rel}", images.WIDTH, images.HEIGHT, alt, text=text, output=rel
        )

    def _events(self, reach: Reach) -> None:
        settings = self.settings
        langs = multilang.language_codes(settings)
        # The same key as the events plugin: the files are read once per build.
        catalog = once_per_build(settings, "events", lambda: load_events(settings["PATH"], langs, settings))
        now = build_now(settings)
        prefix = self.env.get_template("partials/event_macros.html").module.status_prefix
        self.event_views = []
        for event in catalog.events:
            if not event.exists_in(self.lang):
                continue
            view = make_view(event, self.lang, catalog, now, self.abs_lang_root)
            self.event_views.append(view)
            status = str(prefix(event.status)).strip()
            subtitle = f"{status} {view.when}" if status else view.when
            reach.event_images[event.slug] = self._drawn(
                images.CardText(self.lang, self.site, view.title, subtitle),
                f"event-{event.slug}",
                f"{view.title} – {subtitle}",
            )
            url = event_url(event.slug) + POSTER
            reach.posters[event.slug] = Printable(url, f"{self.abs_lang_root}/{event_url(event.slug)}")

    def _card(self, reach: Reach) -> None:
        slug = self.settings.get("REACH_RIGHTS_PAGE", "rights")
        self.card_page = next((p for p in self.context.get("pages", []) if p.slug == slug), None)
        if self.card_page is not None:
            page = self.card_page
            reach.card = (page.source_path, Printable(page.url + CARD, f"{self.abs_lang_root}/{page.url}"))

    # ---------------------------------------------------------------- output

    def _alternates(self, url: str, key: str | None):
        return multilang.alternates(self.settings, self.index, url=url, key=key)

    def generate_output(self, writer):
        out = Path(self.output_path)
        cached = self.batch.wait()
        for image in self.drawn:
            images.place(cached[image.text], out / image.output)
        self._write_posters(writer)
        self._write_card(writer)
        if self.lang == self.main:
            (out / "robots.txt").write_text(links.robots_txt(self.settings, STATUS_URL), encoding="utf-8")

    def _write_posters(self, writer) -> None:
        template = self.get_template("poster")
        for view in self.event_views:
            poster = self.reach.posters[view.slug]
            key = f"events/{view.slug}.md" if view.event.kind == "file" else None
            writer.write_file(
                poster.url + "index.html",
                template,
                self.context,
                alternate_links=self._alternates(poster.url, key),
                ev=view,
                poster=poster,
                qr=printed.qr_svg(poster.qr_target),
                long_title=len(view.title) > 60,
            )

    def _write_card(self, writer) -> None:
        if self.card_page is None:
            return
        page = self.card_page
        card = self.reach.card[1]
        # Read here, not in generate_context: Pelican keeps a page's HTML
        # once made, and its links to static files resolve only after every
        # generator has read its files.
        content = printed.card_content(page.content)
        for heading in content.left_out:
            log.warning(
                "%s: the rights card has room for %d sections; '%s' is left out of it",
                page.source_path,
                printed.CARD_PANELS,
                heading,
            )
        for section in content.sections:
            if section.length > printed.CARD_PANEL_MAX_CHARS:
                log.warning(
                    "%s: section '%s' has %d characters; more than %d may not fit on the rights card",
                    page.source_path,
                    printed.text_of(section.heading),
                    section.length,
                    printed.CARD_PANEL_MAX_CHARS,
                )
        writer.write_file(
            card.url + "index.html",
            self.get_template("rights_card"),
            self.context,
            alternate_links=self._alternates(card.url, multilang.translation_key(page.relative_source_path)),
            rights_page=page,
            card=card,
            intro=content.intro,
            sections=content.sections,
            numbers=printed.numbers_to_call(self.context)[: self.settings.get("REACH_CARD_NUMBERS", 4)],
            qr=printed.qr_svg(card.qr_target),
        )
