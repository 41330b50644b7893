"""Writes, in each language's run: the share images, the rights card and
(main language only) robots.txt, at the addresses of sitekit.core.urls;
and puts ``reach`` into the template context, which the theme's partials
use for the Open Graph tags and the share links.

``generate_context`` runs after Pelican's pages are read, after the events
plugin's ``generate_context`` (it is before this one in PLUGINS and puts
its events into the context as ``EVENTS``) and before any page is written,
so every template sees the images' final addresses."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pelican.generators import Generator

from sitekit.core import urls, values
from sitekit.core.alternates import alternates
from sitekit.core.errors import ContentError
from sitekit.core.frontmatter import read
from sitekit.core.qr import qr_svg
from sitekit.core.site import build_context, run_language

from . import images, links, printed
from .settings import reach_settings

log = logging.getLogger(__name__)

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


def is_sample(page) -> bool:
    """Example content (``Sample: yes``), which must never pass as real."""
    return str(getattr(page, "metadata", {}).get("sample", "")).strip().lower() in ("yes", "true")


class Reach:
    """What the templates get as ``reach`` (one per language run)."""

    def __init__(self, absolute_root: str, og_locales: dict, sitename: str, example: str, default):
        self.absolute_root = absolute_root
        self.og_locales = og_locales
        self.sitename = sitename
        self.example = example  # 'Example:' in the run's language
        self.default_image = default
        self.page_images: dict[str, ShareImage] = {}
        self.event_images: dict[str, ShareImage] = {}
        self.card: tuple[str, str] | None = None  # (source path of the page, the card's address)

    # -- used by the templates

    def image(self, page=None, event=None) -> ShareImage:
        """An information page's or an event's own image; else the default."""
        if event is not None and getattr(event, "slug", None) in self.event_images:
            return self.event_images[event.slug]
        return self.page_images.get(getattr(page, "source_path", None), self.default_image)

    def title(self, page=None, event=None, document_title="") -> str:
        """The page's own title (an event's, a page's or a post's; examples
        say so), else the document's <title> without the site's name."""
        for item in (event, page):
            if item is not None and getattr(item, "title", ""):
                title = printed.text_of(item.title)
                sample = getattr(item, "sample", False) is True or is_sample(item)
                return f"{self.example} {title}" if sample else title
        text = printed.text_of(document_title)
        suffix = f" | {self.sitename}"
        return text[: -len(suffix)] if self.sitename and text.endswith(suffix) and text != suffix else text

    def og_tags(self, *, page, event, alts, lang: str, title: str, description: str) -> list[tuple]:
        """(property, content) of every Open Graph tag of one page: its
        title, description, absolute address, type, site, locale and its
        translations' locales, and its image with size and alt text."""
        image = self.image(page, event)
        here = next(alt for alt in alts if alt.current)
        kind = "article" if event is not None or (page is not None and page.slug != "index") else "website"
        return [
            ("og:title", self.title(page, event, title)),
            ("og:description", description),
            ("og:url", self.absolute(here.url)),
            ("og:type", kind),
            ("og:site_name", self.sitename),
            ("og:locale", self.og_locale(lang)),
            *(
                ("og:locale:alternate", self.og_locale(alt.lang))
                for alt in alts
                if alt.exists and not alt.current
            ),
            ("og:image", image.url),
            ("og:image:type", image.type),
            ("og:image:width", image.width),
            ("og:image:height", image.height),
            ("og:image:alt", image.alt),
        ]

    def absolute(self, url: str) -> str:
        return links.absolute(self.absolute_root, url)

    def share_links(self, url: str, title: str) -> list[links.ShareLink]:
        return links.share_links(self.absolute(url), title)

    def og_locale(self, lang: str) -> str:
        return self.og_locales.get(lang, lang)

    def card_url(self, page) -> str | None:
        if self.card and getattr(page, "source_path", None) == self.card[0]:
            return self.card[1]
        return None

    # -- used by the generator

    def all_images(self) -> list[ShareImage]:
        return [self.default_image, *self.page_images.values(), *self.event_images.values()]


def custom_image(content: Path, absolute_root: str, page) -> ShareImage | None:
    """A page's own picture from its front matter (``Share_image``, a PNG
    or JPEG below content/images/; ``Share_image_alt``, what it shows).
    sitekit.core.sources checked both before Pelican read the page."""
    value = str(page.metadata.get("share_image") or "").strip()
    if not value:
        return None
    rel = values.parse_image_path(value)
    try:
        from PIL import Image

        with Image.open(content / rel) as picture:
            kind, (width, height) = picture.format, picture.size
    except OSError as exc:
        raise ContentError(page.source_path, "share_image", f"{rel}: {exc}") from exc
    alt = " ".join(str(page.metadata.get("share_image_alt") or "").split())
    return ShareImage(f"{absolute_root}/{rel}", width, height, alt, CUSTOM_IMAGE_TYPES.get(kind, "image/png"))


def translation_key(page) -> str:
    """'ru/pages/rights.md' -> 'pages/rights.md': what translations share."""
    return "/".join(PurePosixPath(page.relative_source_path.replace("\\", "/")).parts[1:])


def declared_paths(settings: dict) -> dict[str, set[str]]:
    """Language code -> the addresses reach writes that a link may point to:
    the rights card where the rights page is published, and robots.txt in
    the main language's root. Share images are left out: their names carry
    a hash of what they show, so a link to one would break with the next
    change of a title."""
    site = build_context(settings).site
    slug = reach_settings(settings).rights_page
    paths: dict[str, set[str]] = {lang: set() for lang in site.codes}
    paths[site.main_lang].add(urls.path("robots"))
    for lang in site.codes:
        for path in (site.content / lang / "pages").glob(f"{slug}.*"):
            status = read(path).text("status").strip().lower() or "published"
            if path.suffix in (".md", ".markdown") and status == "published":
                paths[lang].add(urls.path("rights_card", slug=slug))
    return paths


class ReachGenerator(Generator):
    def generate_context(self):
        ctx = build_context(self.settings)
        self.site = site = ctx.site
        self.options = reach_settings(self.settings)
        self.lang = lang = run_language(self.settings)
        self.abs_lang_root = site.language_root(lang, absolute=True)
        self.sitename = sitename = site.sitenames.get(lang, site.sitename)
        self.index = ctx.translation_index or self.settings.get("TRANSLATION_INDEX") or {}
        strings = self.env.get_template("partials/reach_strings.html").module
        tagline = str(strings.tagline()).strip()
        example, example_label = str(strings.example_prefix()).strip(), str(strings.example_label()).strip()
        self.example_label = example_label
        self.cache_dir = Path(self.settings["CACHE_PATH"]) / "share-images"

        default = self._drawn(
            images.CardText(lang, sitename, sitename, tagline), "site", f"{sitename}: {tagline}"
        )
        self.reach = reach = Reach(site.absolute_root, self.options.og_locales, sitename, example, default)

        for page in self.context.get("pages", []) + self.context.get("hidden_pages", []):
            title = printed.text_of(page.title)
            own = custom_image(site.content, site.absolute_root, page)
            subtitle = example_label if is_sample(page) else ""
            reach.page_images[page.source_path] = own or self._drawn(
                images.CardText(lang, sitename, title, subtitle), page.slug, title
            )

        # Posts use the language's default picture unless they bring their own.
        for article in self.context.get("articles", []):
            own = custom_image(site.content, site.absolute_root, article)
            if own is not None:
                reach.page_images[article.source_path] = own

        # Examples say so on their picture too ('Example: Cancelled: ...').
        prefix = self.env.get_template("partials/event_macros.html").module.summary_prefix
        for view in self.context.get("EVENTS") or ():
            status = str(prefix(view.status, view.sample)).strip()
            subtitle = f"{status} {view.when}" if status else view.when
            reach.event_images[view.slug] = self._drawn(
                images.CardText(lang, sitename, view.title, subtitle),
                f"event-{view.slug}",
                f"{view.title} – {subtitle}",
            )

        slug = self.options.rights_page
        self.card_page = next((p for p in self.context.get("pages", []) if p.slug == slug), None)
        if self.card_page is not None:
            reach.card = (self.card_page.source_path, urls.path("rights_card", slug=slug))
        self.context["reach"] = reach
        # Start drawing the missing images now: it runs while Pelican writes
        # the pages, and generate_output waits for it.
        self.drawn = [image for image in reach.all_images() if image.text is not None]
        texts = (image.text for image in self.drawn)
        # No more threads than the build gives this run (THREADS_PER_RUN:
        # one each when language runs go in parallel on two cores).
        threads = min(self.options.draw_threads, int(self.settings.get("THREADS_PER_RUN") or 99))
        self.batch = images.Batch(texts, self.cache_dir, threads)

    def _image_of(self, page):
        """The share image ``generate_context`` gives a page (drawn from its
        title) or a post (only its own picture, else None)."""
        own = custom_image(self.site.content, self.site.absolute_root, page)
        if own is not None or page.__class__.__name__ != "Page":
            return own
        title = printed.text_of(page.title)
        subtitle = self.example_label if is_sample(page) else ""
        return self._drawn(images.CardText(self.lang, self.sitename, title, subtitle), page.slug, title)

    def unaffected_by(self, old, new) -> bool:
        """For the dev server's partial rebuild (sitekit/live.py), after one
        page or post was read again: True when nothing this generator made
        changes. A page or post of another language is not shown here; in
        this one, its picture must be the same (title, example label, own
        picture), and the rights page, which the card prints, is not."""
        if getattr(new, "lang", self.lang) != self.lang:
            return True
        if self.card_page is not None and old.source_path == self.card_page.source_path:
            return False
        return self._image_of(old) == self._image_of(new)

    def _drawn(self, text: images.CardText, name: str, alt: str) -> ShareImage:
        rel = urls.save_as("share_image", name=f"{name}-{images.image_key(text)[:12]}")
        return ShareImage(
            f"{self.abs_lang_root}/{rel}", images.WIDTH, images.HEIGHT, alt, text=text, output=rel
        )

    # ---------------------------------------------------------------- output

    def generate_output(self, writer):
        out = Path(self.output_path)
        cached = self.batch.wait()
        for image in self.drawn:
            images.place(cached[image.text], out / image.output)
        self._write_card(writer)
        if self.lang == self.site.main_lang:
            (out / urls.save_as("robots")).write_text(links.robots_txt(self.site), encoding="utf-8")

    def _write_card(self, writer) -> None:
        page = self.card_page
        if page is None:
            return
        # Read here, not in generate_context: Pelican keeps a page's HTML
        # once made, and its links to static files resolve only after every
        # generator has read its files.
        content = printed.card_content(page.content)
        if content.left_out:
            # Said on the card's page (on screen), not as a build warning:
            # a long page is not a mistake.
            log.info("%s: not on the rights card: %s", page.source_path, "; ".join(content.left_out))
        address = self.reach.card[1]
        target = urls.url(self.abs_lang_root, "page", slug=page.slug)
        key = translation_key(page)
        writer.write_file(
            urls.save_as("rights_card", slug=page.slug),
            self.get_template("rights_card"),
            self.context,
            alternate_links=alternates(self.settings, self.index, url=address, key=key),
            rights_page=page,
            intro=content.intro,
            sections=content.sections,
            left_out=content.left_out,
            numbers=printed.numbers_to_call(self.context, self.options.card_numbers),
            qr=qr_svg(target),
            qr_target=target,
        )
