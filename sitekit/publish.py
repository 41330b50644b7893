"""Publishing: minified HTML and CSS, and ``.gz`` and ``.br`` copies beside
every text file, so any static host or CDN can send them as they are.

``publish_site`` is a post-build step added by publishconf.py, after the
search index, so it runs on the finished staging folder before the swap:
a failure keeps the last good site. It also refuses a SITEURL that is not
absolute, since published pages, feeds and the sitemap need absolute URLs.

The policy below is what the site needs from its host (docs/deploy.md shows
it in an nginx configuration): nothing from another host, no inline script
or style. Search needs ``'wasm-unsafe-eval'``: Pagefind runs WebAssembly."""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import minify_html


def header_policy(settings: dict) -> str:
    """The Content-Security-Policy a server should send: the pages' own
    (CONTENT_SECURITY_POLICY in pelicanconf.py) plus frame-ancestors, which
    only works as a header."""
    return settings["CONTENT_SECURITY_POLICY"] + "; frame-ancestors 'none'"


# Files worth compressing. Pagefind's index files are compressed already.
TEXT_SUFFIXES = {
    ".html",
    ".css",
    ".js",
    ".mjs",
    ".json",
    ".xml",
    ".svg",
    ".txt",
    ".ics",
    ".csv",
    ".webmanifest",
    ".map",
    ".atom",
    ".rss",
    ".wasm",
}
# Compressing tiny files saves nothing; hosts skip them too.
MIN_SIZE = 256


class PublishError(RuntimeError):
    pass


@dataclass
class PublishReport:
    minified: int = 0
    compressed: int = 0
    bytes_before: int = 0
    bytes_after: int = 0
    bytes_br: int = 0

    def lines(self) -> list[str]:
        return [
            f"minified {self.minified} files: {self.bytes_before:,} -> {self.bytes_after:,} bytes",
            f"compressed {self.compressed} files (.gz and .br); brotli total {self.bytes_br:,} bytes",
        ]


def check_siteurl(siteurl: str) -> str:
    """A published SITEURL is absolute (http or https), with or without a path."""
    parts = urlsplit(siteurl or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PublishError(
            f"SITEURL {siteurl!r} is not an absolute URL: set it to e.g. "
            "https://example.org or https://example.org/prevention "
            "(publishconf.py, the SITEURL environment variable or --siteurl)"
        )
    if parts.query or parts.fragment:
        raise PublishError(f"SITEURL {siteurl!r} may not have a query or fragment")
    return siteurl.rstrip("/")


def minify_html_text(text: str) -> str:
    # Conservative: keep closing tags and <html>/<head> so every HTML parser,
    # tests included, reads the same document; attribute values stay quoted.
    return minify_html.minify(
        text,
        keep_closing_tags=True,
        keep_html_and_head_opening_tags=True,
        minify_css=True,
        minify_js=False,
        remove_processing_instructions=False,
    )


def minify_css_text(text: str) -> str:
    # minify-html minifies CSS inside <style>; wrap, minify, unwrap.
    out = minify_html.minify(f"<style>{text}</style>", minify_css=True)
    start, end = out.index(">") + 1, out.rindex("</style>")
    return out[start:end]


def minify_tree(root: Path, report: PublishReport) -> None:
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".html", ".css") or not path.is_file():
            continue
        if path.parts[len(root.parts) :][:1] == ("pagefind",):
            continue  # Pagefind's own files ship minified
        text = path.read_text(encoding="utf-8")
        small = minify_html_text(text) if path.suffix == ".html" else minify_css_text(text)
        report.minified += 1
        report.bytes_before += len(text.encode("utf-8"))
        report.bytes_after += len(small.encode("utf-8"))
        path.write_text(small, encoding="utf-8")


def compress_tree(root: Path, report: PublishReport) -> None:
    """Write ``name.gz`` and ``name.br`` beside every text file; each one
    decompresses to exactly the bytes of the file beside it."""
    for path in sorted(root.rglob("*")):
        if path.suffix not in TEXT_SUFFIXES or not path.is_file():
            continue
        data = path.read_bytes()
        if len(data) < MIN_SIZE:
            continue
        mtime = path.stat().st_mtime
        gz = gzip.compress(data, compresslevel=9, mtime=0)
        br = brotli.compress(
            data, quality=11, mode=brotli.MODE_TEXT if path.suffix != ".wasm" else brotli.MODE_GENERIC
        )
        for suffix, packed in ((".gz", gz), (".br", br)):
            target = path.with_name(path.name + suffix)
            target.write_bytes(packed)
            # Same mtime as the original: nginx's gzip_static compares them.
            os.utime(target, (mtime, mtime))
        report.compressed += 1
        report.bytes_br += len(br)


def publish_site(output_dir: Path, settings: dict) -> PublishReport:
    """The post-build step: check SITEURL, minify, precompress."""
    check_siteurl(settings.get("SITEURL", ""))
    root = Path(output_dir)
    report = PublishReport()
    minify_tree(root, report)
    compress_tree(root, report)
    return report
