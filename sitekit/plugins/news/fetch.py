"""Fetching feeds: the only part of the site that touches the network.

Feeds are fetched concurrently (asyncio + httpx), at most
``concurrency`` of them at a time (NEWS_CONCURRENCY; an asyncio.Semaphore,
and each feed has a client with one connection, so as many connections),
each with connect and read timeouts and a time limit of its own that starts
when its turn comes, all of them within an overall deadline. Redirects are
limited; only http and https.

The size cap counts the bytes of the body after decompression, as they
stream: the raw (still compressed) stream is read with ``aiter_raw`` and
decompressed here, gzip and deflate with zlib and br with brotli, each step
giving at most a fixed amount of output, so a small compressed body that
inflates to gigabytes is stopped within one step of the cap, in memory and
in time. The raw bytes count against the cap too.

The ETag and Last-Modified of each feed are kept and sent back
(If-None-Match, If-Modified-Since), so an unchanged feed answers 304 and
keeps its items.

The body is read as text by ``charset.decode_feed`` (the declared charset
when the bytes agree with it, otherwise the one they are in; invalid bytes
replaced where they are), then feedparser parses it: it gets bytes (never a
URL or a file name), with the final URL as the base for relative links. A
feed counts as good when entries came out, whatever its bozo flag.

Nothing here raises for a bad feed: a dead, slow, oversize or garbage feed
is a warning naming the feed and the reason, and its last good items stay.
A bad item (an impossible date, bytes that were not text) is a warning
naming the feed, the item and the field.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

from . import dates
from .cache import load_cache, save_cache
from .decoding import ENCODINGS, DecodeError, Decoder
from .feeds import Feed
from .parse import FeedFailure, parse_feed
from .settings import FetchOptions

log = logging.getLogger(__name__)
if hasattr(log, "disable_filter"):
    # Pelican's logger class drops a message it has logged before in this
    # process; a feed that fails again must be reported again.
    log.disable_filter()
dates.register()

USER_AGENT = "torture-prevention-site-news/1.0 (static site; feed reader)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
ACCEPT_ENCODING = ", ".join(ENCODINGS)  # what decoding.Decoder undoes
# Most bytes one decompression step may give (brotli rounds this up to its
# next buffer block: at most about twice as much).


@dataclass
class FeedResult:
    feed: Feed
    status: str  # "updated", "not-modified" or "failed"
    items: int  # items kept for this feed after the fetch
    reason: str = ""  # why it failed
    seconds: float = 0.0

    def line(self) -> str:
        if self.status == "failed":
            return (
                f"news: feed '{self.feed.name}' ({self.feed.url}): {self.reason}; "
                f"kept {self.items} earlier item(s)"
            )
        what = "not modified" if self.status == "not-modified" else "updated"
        return f"news: feed '{self.feed.name}': {what}, {self.items} item(s), {self.seconds:.1f} s"


@dataclass
class _Response:
    status: int
    body: bytes = b""
    content_type: str = ""
    url: str = ""
    etag: str | None = None
    last_modified: str | None = None


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB" if n >= 1024 * 1024 else f"{n} bytes"


async def _read_body(resp: httpx.Response, options: FetchOptions) -> bytes:
    """The decoded body, stopped as soon as it (or the raw stream) is over
    the size cap."""
    try:
        decoder = Decoder(resp.headers.get("content-encoding", ""))
    except DecodeError as exc:
        raise FeedFailure(str(exc)) from None
    compressed = decoder.names != ["identity"]
    body = bytearray()
    raw = 0

    def over() -> FeedFailure:
        how = (
            f" once decompressed ({'+'.join(decoder.names)}, {_megabytes(raw)} received)"
            if compressed
            else ""
        )
        return FeedFailure(
            f"response is over the {_megabytes(options.max_bytes)} limit{how} (stopped reading)"
        )

    async for chunk in resp.aiter_raw():
        raw += len(chunk)
        if raw > options.max_bytes:
            raise over()
        try:
            for piece in decoder.pieces(chunk):
                if len(body) + len(piece) > options.max_bytes:
                    raise over()
                body += piece
        except DecodeError as exc:
            raise FeedFailure(str(exc)) from None
    return bytes(body)


async def _get(client: httpx.AsyncClient, feed: Feed, state: dict, options: FetchOptions) -> _Response:
    headers = {"Accept-Encoding": ACCEPT_ENCODING}
    if state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    try:
        async with client.stream("GET", feed.url, headers=headers) as resp:
            final = str(resp.url)
            if resp.url.scheme not in ("http", "https"):
                raise FeedFailure(f"redirected to {final}, which is not http or https")
            if resp.status_code == 304:
                return _Response(304, url=final)
            if resp.status_code != 200:
                raise FeedFailure(f"HTTP {resp.status_code} {resp.reason_phrase}".strip())
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > options.max_bytes:
                raise FeedFailure(
                    f"response of {_megabytes(int(declared))} is over the "
                    f"{_megabytes(options.max_bytes)} limit"
                )
            body = await _read_body(resp, options)
            return _Response(
                200,
                body,
                resp.headers.get("content-type", ""),
                final,
                resp.headers.get("etag"),
                resp.headers.get("last-modified"),
            )
    except httpx.TooManyRedirects:
        raise FeedFailure(f"more than {options.max_redirects} redirects") from None
    except httpx.UnsupportedProtocol as exc:
        raise FeedFailure(f"not an http or https address ({exc})") from None
    except httpx.ConnectTimeout:
        raise FeedFailure(f"could not connect within {options.connect_timeout:g} s") from None
    except httpx.ReadTimeout:
        raise FeedFailure(f"no answer within {options.read_timeout:g} s (read timeout)") from None
    except httpx.ConnectError as exc:
        raise FeedFailure(f"could not connect ({exc or type(exc).__name__})") from None
    except httpx.HTTPError as exc:
        raise FeedFailure(f"{type(exc).__name__}: {exc}") from None


def merge_items(new: list[dict], old: list[dict], now: datetime, options: FetchOptions) -> list[dict]:
    """New items first, then earlier ones the feed no longer lists; each keeps
    the time it was first seen. Old ones past the age limit go; capped."""
    seen_before = {item.get("link"): item.get("seen") for item in old}
    stamp = now.isoformat()
    merged, links = [], set()
    for item in new:
        item = dict(item, seen=seen_before.get(item["link"]) or stamp)
        merged.append(item)
        links.add(item["link"])
    oldest = now - timedelta(days=options.max_age_days)
    for item in old:
        if item.get("link") in links:
            continue
        when = item.get("published") or item.get("seen")
        try:
            if when and dates.from_iso(when) < oldest:
                continue
        except dates.DateError:
            continue  # load_cache has warned about it
        merged.append(item)
        links.add(item.get("link"))
    return merged[: options.max_items_per_feed]


async def _fetch_one(client, feed: Feed, state: dict, options: FetchOptions, now):
    started = time.perf_counter()
    response = await asyncio.wait_for(_get(client, feed, state, options), timeout=options.feed_timeout)
    if response.status == 304:
        return "not-modified", None, response, time.perf_counter() - started
    items = parse_feed(response.body, response.content_type, response.url, now, feed.name)
    return "updated", items, response, time.perf_counter() - started


async def _fetch_all(feeds: list[Feed], states: dict, options: FetchOptions, now):
    in_flight = max(1, options.concurrency)
    timeout = httpx.Timeout(
        connect=options.connect_timeout,
        read=options.read_timeout,
        write=options.read_timeout,
        pool=options.connect_timeout,  # never waited for: one connection per client
    )
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    turns = asyncio.Semaphore(in_flight)
    started: set[str] = set()
    tls = httpx.create_ssl_context()  # made once: loading the CA certificates is slow

    async def run(feed: Feed):
        async with turns:
            started.add(feed.url)
            # A client of its own with one connection, taken when the feed's
            # turn comes: connections in flight are feeds in flight. (Feeds
            # are on different hosts, so a shared pool would reuse nothing,
            # and httpcore's pool costs time per waiting request and
            # connection on every event: twice the CPU for 1,000 feeds.)
            async with httpx.AsyncClient(
                timeout=timeout,
                follow_redirects=True,
                max_redirects=options.max_redirects,
                headers=headers,
                verify=tls,
                limits=httpx.Limits(max_connections=1, max_keepalive_connections=0),
            ) as client:
                return await _fetch_one(client, feed, states.get(feed.url, {}), options, now)

    tasks = {asyncio.ensure_future(run(feed)): feed for feed in feeds}
    if not tasks:
        return {}
    _done, pending = await asyncio.wait(tasks, timeout=options.deadline)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
    outcomes = {}
    for task, feed in tasks.items():
        if task in pending:
            if feed.url in started:
                reason = f"not finished within the overall deadline of {options.deadline:g} s"
            else:
                reason = (
                    f"not started within the overall deadline of {options.deadline:g} s "
                    f"({in_flight} feeds at a time; see NEWS_CONCURRENCY)"
                )
            outcomes[feed.url] = FeedFailure(reason)
            continue
        exc = task.exception()
        if isinstance(exc, asyncio.TimeoutError):
            exc = FeedFailure(f"took longer than {options.feed_timeout:g} s")
        elif exc is not None and not isinstance(exc, FeedFailure):
            exc = FeedFailure(f"unexpected {type(exc).__name__}: {exc}")
        outcomes[feed.url] = exc if exc is not None else task.result()
    return outcomes


def fetch_feeds(
    feeds: list[Feed], cache_path, options: FetchOptions | None = None, now: datetime | None = None
) -> list[FeedResult]:
    """Fetch every feed into the cache at ``cache_path``; log a warning for
    each feed that failed. Never raises because of the network."""
    options = options or FetchOptions()
    now = now or datetime.now(UTC)
    cache = load_cache(cache_path)
    states = cache["feeds"]
    try:
        outcomes = asyncio.run(_fetch_all(feeds, states, options, now))
    except Exception as exc:  # the client itself could not start
        outcomes = {feed.url: FeedFailure(f"fetching failed: {exc}") for feed in feeds}
    results = []
    stamp = now.isoformat()
    for feed in feeds:
        state = dict(states.get(feed.url) or {})
        state["name"] = feed.name
        old_items = state.get("items") or []
        outcome = outcomes.get(feed.url)
        state["checked"] = stamp
        if isinstance(outcome, Exception):
            state["error"] = str(outcome)
            state["items"] = old_items
            result = FeedResult(feed, "failed", len(old_items), str(outcome))
        else:
            status, items, response, seconds = outcome
            state["error"] = None
            state["fetched"] = stamp
            if status == "updated":
                # Sample items (the bundled cache) give way to real ones.
                real = [item for item in old_items if not item.get("sample")]
                state["items"] = merge_items(items, real, now, options)
                state["etag"] = response.etag
                state["last_modified"] = response.last_modified
                state.pop("sample", None)
            else:
                state["items"] = old_items
            result = FeedResult(feed, status, len(state["items"]), seconds=seconds)
        states[feed.url] = state
        results.append(result)
        if result.status == "failed":
            log.warning(result.line())
    listed = {feed.url for feed in feeds}
    cache["feeds"] = {url: state for url, state in states.items() if url in listed}
    if not any(s.get("sample") for s in cache["feeds"].values()):
        cache.pop("sample", None)
        cache.pop("_note", None)
    cache["version"] = cache.get("version", 1)
    save_cache(cache_path, cache)
    return results
