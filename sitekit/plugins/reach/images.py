"""Share images: the picture a messenger shows under a link (``og:image``).

Drawn with Pillow at build time, 1200×630 PNG: the site's name, the page's
title in the page's language and, for events, the date, in the site's
colours and with the bundled font (theme/fonts/), so the build needs no
system font and the images look the same on every machine.

Each image is cached under the build cache by a hash of what it shows
(design version, font, language, site name, title, subtitle): a rebuild
with nothing changed draws none, and ``draw_count`` counts the ones drawn in
this process (tests read it)."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
# Change when the drawing below changes: every image is drawn again.
DESIGN_VERSION = "1"
FONT = Path(__file__).resolve().parents[3] / "theme" / "fonts" / "NotoSans-Bold-LatinCyrillic.ttf"

# The colours of theme/static/css/site.css.
BACKGROUND = "#f3f2f1"  # --panel
TEXT = "#0b0c0c"  # --text
MUTED = "#484949"  # --muted
ACCENT = "#7a1f1f"  # --accent

MARGIN_X = 80
SITE_NAME_SIZE = 40
# Largest first; the first size at which the title fits is used. At a
# quarter of the size (a preview in a chat) 68 px is still 17 px.
TITLE_SIZES = (84, 76, 68, 60, 54, 48)
TITLE_MAX_LINES = 4
SUBTITLE_SIZE = 38
LINE_HEIGHT = 1.2

# Images drawn in this process (not taken from the cache).
draw_count = 0
_count_lock = threading.Lock()


@dataclass(frozen=True)
class CardText:
    """What one share image shows."""

    lang: str
    site: str
    title: str
    subtitle: str = ""


@functools.cache
def font_digest(path: Path = FONT) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def image_key(text: CardText) -> str:
    """Hash of everything that decides the picture."""
    data = [DESIGN_VERSION, font_digest(), WIDTH, HEIGHT, text.lang, text.site, text.title, text.subtitle]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()[:20]


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    # Basic layout: Cyrillic and Latin need no shaping, and the result does
    # not depend on whether the machine has libraqm.
    return ImageFont.truetype(str(FONT), size, layout_engine=ImageFont.Layout.BASIC)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Words into lines no wider than ``width``; a word wider than a whole
    line is broken between letters."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while font.getlength(word) > width:
            cut = max(1, next(i for i in range(len(word), 0, -1) if font.getlength(word[:i]) <= width))
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def _ellipsize(line: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    while line and font.getlength(line + "…") > width:
        line = line[:-1].rstrip()
    return line + "…"


def fit_title(title: str, height: int, width: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which the title fits the box; at the smallest,
    what does not fit ends in an ellipsis."""
    for size in TITLE_SIZES:
        font = _font(size)
        lines = wrap(title, font, width)
        if len(lines) <= TITLE_MAX_LINES and len(lines) * size * LINE_HEIGHT <= height:
            return font, lines
    size = TITLE_SIZES[-1]
    font = _font(size)
    lines = wrap(title, font, width)
    keep = max(1, min(TITLE_MAX_LINES, int(height // (size * LINE_HEIGHT))))
    if len(lines) > keep:
        lines = [*lines[: keep - 1], _ellipsize(lines[keep - 1], font, width)]
    return font, lines


def _baseline(font: ImageFont.FreeTypeFont, top: float, step: float) -> float:
    """Baseline of a line box of height ``step`` starting at ``top``."""
    ascent, descent = font.getmetrics()
    return top + (step - ascent - descent) / 2 + ascent


def draw(text: CardText) -> Image.Image:
    """The picture: accent bands top and bottom, the site's name, the title
    large, the subtitle (an event's date) below it."""
    global draw_count
    with _count_lock:
        draw_count += 1
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, WIDTH, 19), fill=ACCENT)
    pen.rectangle((0, HEIGHT - 12, WIDTH, HEIGHT), fill=ACCENT)
    inner = WIDTH - 2 * MARGIN_X

    site_font = _font(SITE_NAME_SIZE)
    site = wrap(text.site, site_font, inner)[:1]
    pen.text((MARGIN_X, 100), site[0] if site else "", font=site_font, fill=ACCENT, anchor="ls")

    sub_font = _font(SUBTITLE_SIZE)
    sub_lines = wrap(text.subtitle, sub_font, inner)[:2] if text.subtitle else []
    sub_height = len(sub_lines) * SUBTITLE_SIZE * LINE_HEIGHT + (28 if sub_lines else 0)
    top, bottom = 150, HEIGHT - 60
    font, lines = fit_title(text.title, bottom - top - sub_height, inner)
    step = font.size * LINE_HEIGHT
    block = len(lines) * step + sub_height
    y = top + max(0, (bottom - top - block) / 2)
    for line in lines:
        pen.text((MARGIN_X, _baseline(font, y, step)), line, font=font, fill=TEXT, anchor="ls")
        y += step
    if sub_lines:
        y += 28
        sub_step = SUBTITLE_SIZE * LINE_HEIGHT
        for line in sub_lines:
            pen.text(
                (MARGIN_X, _baseline(sub_font, y, sub_step)), line, font=sub_font, fill=MUTED, anchor="ls"
            )
            y += sub_step
    return image


def cached_image(text: CardText, cache_dir: Path) -> Path:
    """The PNG for ``text`` in ``cache_dir``, drawn only when it is not there."""
    path = Path(cache_dir) / f"{image_key(text)}.png"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    # 64 colours are plenty for flat colours and anti-aliased text: a third
    # of the bytes of full colour, and quicker to write. zlib level 3 writes
    # in half the time of level 6 for a fifth more bytes (about 21 KB
    # against 17 KB): each picture is fetched once per shared link, by the
    # messenger, never by a reader's browser; the build draws dozens.
    draw(text).quantize(64, method=Image.Quantize.FASTOCTREE).save(partial, "PNG", compress_level=3)
    os.replace(partial, path)
    return path


class Batch:
    """Share images for many texts, each distinct one once. The missing ones
    are drawn in background threads from the moment the batch is made;
    ``wait()`` returns {text: cached file}. The generator starts a batch
    before Pelican writes the pages, so drawing runs alongside that (Pillow
    lets go of the interpreter while it renders, quantizes and compresses)."""

    def __init__(self, texts: Iterable[CardText], cache_dir: Path, workers: int | None = None):
        cache_dir = Path(cache_dir)
        self.paths = {text: cache_dir / f"{image_key(text)}.png" for text in dict.fromkeys(texts)}
        missing = [text for text, path in self.paths.items() if not path.is_file()]
        workers = min(workers or min(4, os.cpu_count() or 1), len(missing))
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="share-image") if missing else None
        self._jobs = [self._pool.submit(cached_image, text, cache_dir) for text in missing] if missing else []

    def wait(self) -> dict[CardText, Path]:
        try:
            for job in self._jobs:
                job.result()  # raises what the drawing raised
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
        return self.paths


def cached_images(
    texts: Iterable[CardText], cache_dir: Path, workers: int | None = None
) -> dict[CardText, Path]:
    """``cached_image`` for many, each distinct one once, in a few threads."""
    return Batch(texts, cache_dir, workers).wait()


def place(source: Path, target: Path) -> None:
    """Put a cached file into the output: a hard link where the two are on
    one file system (no bytes copied), a copy otherwise."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def image_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size
