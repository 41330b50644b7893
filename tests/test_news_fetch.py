"""Fetching news: feeds served from 127.0.0.1 by the test (no internet).

Good feeds (RSS 2.0, Atom, windows-1251 Russian with Russian dates, script
payloads) and bad ones (closed port, too slow, oversize, HTML page,
redirect loop): each bad one is a warning naming the feed and the reason,
its last good items stay, and the build still succeeds.

Then the faults made for real: compression bombs (gzip, deflate, br) and an
endless body, measured in a process of their own; a thousand feeds;
Russian feeds in windows-1251 and KOI8-R with no or the wrong charset, and
a bad byte in a UTF-8 feed; impossible dates in feeds; bad dates in a
hand-edited cache."""

from __future__ import annotations

import gzip
import json
import re
import struct
import time
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from conftest import FIXTURE_CONTENT, build
from helpers import parse
from newsfeeds import Reply, atom, brotli_bomb, closed_port, gzip_bomb, measure_fetch, rss, serve, serve_many

from sitekit.plugins.news.dates import parse_ru_date
from sitekit.plugins.news.feeds import Feed
from sitekit.plugins.news.fetch import FeedFailure, FetchOptions, fetch_feeds, parse_feed

NOW = datetime.now(UTC)
RECENT = format_datetime(NOW - timedelta(days=1))
EARLIER = format_datetime(NOW - timedelta(days=3))

RSS_BODY = rss(
    [
        {
            "title": "Torture case reaches court",
            "link": "http://news.test/a/1",
            "description": "<p>A <b>torture</b> complaint.</p>",
            "pubDate": RECENT,
        },
        {
            "title": "Monitors visit a prison on torture prevention",
            "link": "/a/2",
            "description": "Relative link above.",
            "pubDate": EARLIER,
        },
    ]
)
ATOM_BODY = atom(
    [
        {
            "title": "Atom: ombudsperson report on torture",
            "id": "urn:x:1",
            "href": "entries/3",
            "updated": (NOW - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "summary": "&lt;p&gt;Atom summary about torture&lt;/p&gt;",
        },
    ]
)
CP1251_ITEMS = [
    {
        "title": "Пытки в СИЗО: новое дело",
        "link": "http://ru.test/1",
        "description": "Правозащитники сообщили о пытках.",
        "pubDate": "Сб, 20 января 2018 10:28:19 +0600",
    },
    {
        "title": "Омбудсмен посетил колонию, пытки",
        "link": "http://ru.test/2",
        "pubDate": "5 мая 2026 г., 14:30",
    },
    {"title": "Новость о пытках без даты", "link": "http://ru.test/3"},
]
CP1251_BODY = rss(CP1251_ITEMS, title="Русская лента", encoding="windows-1251")
EVIL_BODY = rss(
    [
        {
            "title": "&lt;script&gt;alert('t')&lt;/script&gt;Torture &lt;b onmouseover=x()&gt;news&lt;/b&gt;",
            "link": "http://evil.test/ok",
            "description": (
                '&lt;p onclick="steal()"&gt;Torture text&lt;/p&gt;'
                '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src="http://tracker.test/p.gif"&gt;'
                '&lt;a href="javascript:alert(2)"&gt;js&lt;/a&gt;'
                '&lt;a href="data:text/html,x"&gt;data&lt;/a&gt;'
                '&lt;iframe src="http://evil.test/"&gt;&lt;/iframe&gt;'
                "&lt;style&gt;body{display:none}&lt;/style&gt;"
                '&lt;form action="http://evil.test/"&gt;&lt;input name=q&gt;&lt;/form&gt;'
                '&lt;a href="http://fine.test/"&gt;fine&lt;/a&gt;'
            ),
            "pubDate": RECENT,
        },
        {"title": "Torture link is javascript", "link": "javascript:alert(3)", "pubDate": RECENT},
        {"title": "Torture link is data", "link": "data:text/html;base64,PHNjcmlwdD4=", "pubDate": RECENT},
    ]
)
HTML_BODY = b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>Not a feed</p></body></html>"


def make_routes(state):
    """Routes of the test server; ``state`` switches the good feeds to 304."""

    def conditional(body, etag, content_type):
        modified = "Sat, 21 Nov 2026 10:00:00 GMT"

        def route(headers):
            if state.get("not_modified") and (
                headers.get("if-none-match") == etag or headers.get("if-modified-since") == modified
            ):
                return Reply(304, headers={"ETag": etag})
            return Reply(200, body, {"Content-Type": content_type, "ETag": etag, "Last-Modified": modified})

        return route

    def big(headers):
        return Reply(
            200,
            headers={"Content-Type": "application/rss+xml"},
            chunks=(b"<!-- " + b"x" * 65536 + b" -->" for _ in range(64)),
        )

    return {
        "/rss.xml": conditional(RSS_BODY, '"rss-v1"', "application/rss+xml; charset=utf-8"),
        "/atom.xml": conditional(ATOM_BODY, '"atom-v1"', "application/atom+xml"),
        "/ru.xml": conditional(CP1251_BODY, '"ru-v1"', "application/rss+xml; charset=windows-1251"),
        "/evil.xml": conditional(EVIL_BODY, '"evil-v1"', "application/rss+xml"),
        "/slow.xml": lambda h: Reply(200, RSS_BODY, {"Content-Type": "application/rss+xml"}, delay=3.0),
        "/big.xml": big,
        "/page.html": lambda h: Reply(200, HTML_BODY, {"Content-Type": "text/html; charset=utf-8"}),
        "/loop": lambda h: Reply(302, b"", {"Location": "/loop"}),
    }


def feeds_for(base: str, dead_port: int) -> list[Feed]:
    def feed(name, url, langs=("en",), **kw):
        return Feed(name, url, tuple(langs), kw.get("written_in", langs[0]))

    return [
        feed("Good RSS", f"{base}/rss.xml"),
        feed("Good Atom", f"{base}/atom.xml"),
        feed("Russian 1251", f"{base}/ru.xml", ("ru", "ky")),
        feed("Script payloads", f"{base}/evil.xml"),
        feed("Closed port", f"http://127.0.0.1:{dead_port}/feed.xml"),
        feed("Too slow", f"{base}/slow.xml"),
        feed("Oversize", f"{base}/big.xml"),
        feed("HTML page", f"{base}/page.html"),
        feed("Redirect loop", f"{base}/loop"),
    ]


OPTIONS = FetchOptions(
    connect_timeout=1, read_timeout=0.5, feed_timeout=5, deadline=10, max_bytes=200_000, max_redirects=3
)

EXPECTED_FAILURES = {
    "Closed port": "could not connect",
    "Too slow": "no answer within 0.5 s",
    "Oversize": "over the 200000 bytes limit",
    "HTML page": "not a feed: no entries found (text/html",
    "Redirect loop": "more than 3 redirects",
}


def by_name(results):
    return {r.feed.name: r for r in results}


def test_fetch_all_kinds_of_feed_with_warnings_and_conditional_get(tmp_path, caplog):
    state = {}
    cache_path = tmp_path / "cache.json"
    with serve(make_routes(state)) as server:
        feeds = feeds_for(server.base, closed_port())
        started = time.perf_counter()
        first = by_name(fetch_feeds(feeds, cache_path, OPTIONS))
        elapsed = time.perf_counter() - started

        assert {n: r.status for n, r in first.items() if r.status != "failed"} == {
            "Good RSS": "updated",
            "Good Atom": "updated",
            "Russian 1251": "updated",
            "Script payloads": "updated",
        }
        for name, reason in EXPECTED_FAILURES.items():
            assert first[name].status == "failed", name
            assert reason in first[name].reason, (name, first[name].reason)
        # Each failure is a warning that names the feed and the reason.
        warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
        for name, reason in EXPECTED_FAILURES.items():
            assert any(f"'{name}'" in w and reason in w for w in warnings), (name, warnings)
        # Concurrent: the slow feed's 0.5 s timeout does not add up with the others.
        assert elapsed < 3.5

        cache = json.loads(cache_path.read_text(encoding="utf-8"))
        rss_state = cache["feeds"][f"{server.base}/rss.xml"]
        assert rss_state["etag"] == '"rss-v1"'
        assert rss_state["last_modified"] == "Sat, 21 Nov 2026 10:00:00 GMT"
        links = [i["link"] for i in rss_state["items"]]
        assert links == ["http://news.test/a/1", f"{server.base}/a/2"]  # relative resolved
        atom_items = cache["feeds"][f"{server.base}/atom.xml"]["items"]
        assert atom_items[0]["link"] == f"{server.base}/entries/3"
        assert atom_items[0]["title"] == "Atom: ombudsperson report on torture"

        # Second fetch: the good feeds answer 304 to the conditional headers.
        state["not_modified"] = True
        second = by_name(fetch_feeds(feeds, cache_path, OPTIONS))
        for name in ("Good RSS", "Good Atom", "Russian 1251", "Script payloads"):
            assert second[name].status == "not-modified", name
            assert second[name].items == first[name].items > 0
        sent = server.requests_to("/rss.xml")
        assert "if-none-match" not in sent[0] and "if-modified-since" not in sent[0]
        assert sent[1]["if-none-match"] == '"rss-v1"'
        assert sent[1]["if-modified-since"] == "Sat, 21 Nov 2026 10:00:00 GMT"
        assert server.requests_to("/atom.xml")[1]["if-none-match"] == '"atom-v1"'
    again = json.loads(cache_path.read_text(encoding="utf-8"))
    assert again["feeds"][f"{server.base}/rss.xml"]["items"] == rss_state["items"]


def test_a_feed_that_breaks_keeps_its_last_good_items(tmp_path, caplog):
    state = {"broken": False}

    def route(headers):
        if state["broken"]:
            return Reply(200, HTML_BODY, {"Content-Type": "text/html"})
        return Reply(200, RSS_BODY, {"Content-Type": "application/rss+xml"})

    cache_path = tmp_path / "cache.json"
    with serve({"/feed": route}) as server:
        feeds = [Feed("Flaky", f"{server.base}/feed", ("en",), "en")]
        assert fetch_feeds(feeds, cache_path, OPTIONS)[0].items == 2
        state["broken"] = True
        result = fetch_feeds(feeds, cache_path, OPTIONS)[0]
    assert result.status == "failed" and result.items == 2
    assert "kept 2 earlier item(s)" in result.line()
    stored = json.loads(cache_path.read_text(encoding="utf-8"))["feeds"][feeds[0].url]
    assert len(stored["items"]) == 2 and "not a feed" in stored["error"]


def test_windows_1251_feed_with_russian_dates():
    items = parse_feed(CP1251_BODY, "application/rss+xml; charset=windows-1251", "http://ru.test/feed")
    assert [i["title"] for i in items] == [x["title"] for x in CP1251_ITEMS]
    assert items[0]["published"] == "2018-01-20T04:28:19+00:00"
    # No zone given: Bishkek time (UTC+6).
    assert items[1]["published"] == "2026-05-05T08:30:00+00:00"
    assert items[2]["published"] is None
    # Also when only the XML declaration names the encoding.
    same = parse_feed(CP1251_BODY, "application/rss+xml", "http://ru.test/feed")
    assert [i["title"] for i in same] == [x["title"] for x in CP1251_ITEMS]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Сб, 20 января 2018 10:28:19 +0600", (2018, 1, 20, 4, 28, 19)),
        ("20 янв. 2018 10:28", (2018, 1, 20, 4, 28, 0)),
        ("3 марта 2025 г. 09:00 GMT", (2025, 3, 3, 9, 0, 0)),
        ("12 мая 2024", (2024, 5, 11, 18, 0, 0)),
        ("1 декабря 2023, 23:59 +03:00", (2023, 12, 1, 20, 59, 0)),
        ("20.01.2018 10:28", (2018, 1, 20, 4, 28, 0)),
    ],
)
def test_russian_month_names(text, expected):
    assert tuple(parse_ru_date(text))[:6] == expected


def test_russian_handler_leaves_other_dates_to_feedparser():
    assert parse_ru_date("Sat, 20 Jan 2018 10:28:19 +0600") is None
    assert parse_ru_date("32 абвгд 2018") is None


def test_script_payloads_are_removed_when_parsing():
    items = parse_feed(EVIL_BODY, "application/rss+xml", "http://evil.test/feed")
    assert [i["link"] for i in items] == ["http://evil.test/ok"]  # js:/data: links dropped
    title, summary = items[0]["title"], items[0]["summary"]
    assert "<" not in title and "alert" not in title and title.startswith("Torture")
    for bad in (
        "<script",
        "alert",
        "<img",
        "onclick",
        "onmouseover",
        "javascript:",
        "data:",
        "<iframe",
        "<style",
        "<form",
        "<input",
        "tracker.test",
    ):
        assert bad not in summary, bad
    assert 'href="http://fine.test/"' in summary
    assert 'rel="noopener noreferrer nofollow"' in summary


def test_feedparser_never_reads_a_file_or_url_given_as_bytes(tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_bytes(RSS_BODY)
    with pytest.raises(FeedFailure, match="not a feed"):
        parse_feed(str(secret).encode(), "application/rss+xml", "http://x.test/")


@pytest.fixture(scope="module")
def fetched_builds(tmp_path_factory):
    """Two publish-style builds of the fixture site that fetch first: the
    second one gets 304 from every good feed."""
    tmp = tmp_path_factory.mktemp("news-fetch-build")
    state = {}
    with serve(make_routes(state)) as server:
        feeds_yml = tmp / "feeds.yml"
        lines = []
        for feed in feeds_for(server.base, closed_port()):
            lines.append(
                f"- name: {feed.name}\n  url: {feed.url}\n  languages: [{', '.join(feed.languages)}]\n"
            )
        feeds_yml.write_text("".join(lines), encoding="utf-8")
        overrides = dict(
            PATH=str(FIXTURE_CONTENT),
            NEWS_FEEDS_PATH=str(feeds_yml),
            NEWS_CACHE_PATH=str(tmp / "cache.json"),
            NEWS_FETCH_ON_PUBLISH=True,
            NEWS_CONNECT_TIMEOUT=1,
            NEWS_READ_TIMEOUT=0.5,
            NEWS_FEED_TIMEOUT=5,
            NEWS_DEADLINE=10,
            NEWS_MAX_BYTES=200_000,
            NEWS_MAX_REDIRECTS=3,
            NEWS_MAX_AGE_DAYS=36500,
            NEWS_TOPIC_KEYWORDS={"en": ["torture"], "ru": ["пытк"], "ky": ["пытк"]},
        )
        first = build(tmp / "one", **overrides)
        state["not_modified"] = True
        second = build(tmp / "two", **overrides)
        quiet = build(tmp / "three", **dict(overrides, NEWS_FETCH_ON_PUBLISH=False))
        requests = list(server.requests)
    return first, second, quiet, requests, server.base


def test_fetching_build_succeeds_with_a_warning_per_bad_feed(fetched_builds):
    first, second, _, _, _ = fetched_builds
    for result in (first, second):
        for name, reason in EXPECTED_FAILURES.items():
            assert any(f"'{name}'" in w and reason in w for w in result.warnings), (name, result.warnings)
        assert len(result.warnings) == len(EXPECTED_FAILURES), result.warnings
    page = (first.output / "news" / "index.html").read_text(encoding="utf-8")
    for title in (
        "Torture case reaches court",
        "Monitors visit a prison on torture prevention",
        "Atom: ombudsperson report on torture",
    ):
        assert title in page


def test_second_build_gets_304_and_keeps_the_items(fetched_builds):
    first, second, _, requests, _base = fetched_builds
    rss_requests = [h for p, h in requests if p == "/rss.xml"]
    assert len(rss_requests) == 2
    assert rss_requests[1]["if-none-match"] == '"rss-v1"'
    for lang in ("", "ru/", "ky/"):
        one = (first.output / lang / "news" / "index.html").read_text(encoding="utf-8")
        two = (second.output / lang / "news" / "index.html").read_text(encoding="utf-8")
        assert re.findall(r'<li class="news-item">.*?</li>', one, re.S) == re.findall(
            r'<li class="news-item">.*?</li>', two, re.S
        )
    ru = parse(second.output / "ru" / "news" / "index.html").text
    assert "Пытки в СИЗО: новое дело" in ru and "20 января 2018 г." in ru


def test_the_normal_build_never_fetches(fetched_builds):
    _, _, quiet, requests, _ = fetched_builds
    assert len([p for p, _ in requests if p == "/rss.xml"]) == 2  # the two fetching builds
    assert quiet.warnings == []
    assert "Torture case reaches court" in (quiet.output / "news" / "index.html").read_text(encoding="utf-8")


def test_no_script_from_feeds_in_fetched_build(fetched_builds):
    first = fetched_builds[0]
    page = (first.output / "news" / "index.html").read_text(encoding="utf-8")
    body = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<script" not in body and "<img" not in body and "<iframe" not in body
    assert not re.search(r"\son\w+\s*=", body)
    assert "javascript:" not in body and "data:" not in body
    assert "Torture text" in body


def test_trickling_feed_hits_its_own_time_limit_and_the_deadline_holds(tmp_path):
    def trickle(headers):
        def chunks():
            for _ in range(40):
                time.sleep(0.2)  # each byte in time for the read timeout
                yield b" "

        return Reply(200, headers={"Content-Type": "application/rss+xml"}, chunks=chunks())

    routes = {
        "/trickle.xml": trickle,
        "/late.xml": lambda h: Reply(200, RSS_BODY, delay=4.0),
        "/rss.xml": lambda h: Reply(200, RSS_BODY, {"Content-Type": "application/rss+xml"}),
    }
    with serve(routes) as server:
        feeds = [
            Feed("Trickle", f"{server.base}/trickle.xml", ("en",), "en"),
            Feed("Late", f"{server.base}/late.xml", ("en",), "en"),
            Feed("Fine", f"{server.base}/rss.xml", ("en",), "en"),
        ]
        options = FetchOptions(connect_timeout=1, read_timeout=5, feed_timeout=1, deadline=2.5)
        started = time.perf_counter()
        results = by_name(fetch_feeds(feeds[:1] + feeds[2:], tmp_path / "a.json", options))
        assert results["Trickle"].reason == "took longer than 1 s"
        assert results["Fine"].status == "updated"
        options.feed_timeout = 10
        results = by_name(fetch_feeds(feeds[1:], tmp_path / "b.json", options))
        elapsed = time.perf_counter() - started
    assert results["Late"].reason == "not finished within the overall deadline of 2.5 s"
    assert results["Fine"].status == "updated"
    assert elapsed < 6


# --- Compressed bodies: the cap counts decompressed bytes as they stream ---

BOMB_SIZE = 1 << 30  # 1 GB of zeros once decompressed
BOMB_CAP = 2 << 20  # NEWS_MAX_BYTES for these tests: 2 MB


@pytest.fixture(scope="module")
def bombs():
    """Bodies that are small on the wire and 1 GB once decompressed (see
    newsfeeds): gzip, the same deflate stream zlib-wrapped, and br."""
    gz = gzip_bomb(BOMB_SIZE)
    adler, zeros = 1, bytes(1 << 20)
    for _ in range(BOMB_SIZE // len(zeros)):
        adler = zlib.adler32(zeros, adler)
    zlib_wrapped = b"\x78\xda" + gz[10:-8] + struct.pack(">I", adler)
    return {"gzip": gz, "deflate": zlib_wrapped, "br": brotli_bomb(BOMB_SIZE)}


def replying(body, headers):
    return lambda request_headers: Reply(200, body, headers)


def bomb_routes(bombs):
    def endless(headers):
        zeros = bytes(1 << 20)
        chunks = (zeros for _ in range(1024))
        return Reply(200, headers={"Content-Type": "application/rss+xml"}, chunks=chunks)

    routes = {
        f"/{encoding}.xml": replying(
            body, {"Content-Type": "application/rss+xml", "Content-Encoding": encoding}
        )
        for encoding, body in bombs.items()
    }
    routes["/identity.xml"] = endless
    routes["/warm.xml"] = replying(RSS_BODY, {"Content-Type": "application/rss+xml"})
    return routes


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "identity"])
def test_a_compression_bomb_stops_at_the_cap_without_the_memory(bombs, encoding, tmp_path):
    if encoding != "identity":
        # The bomb is real: small on the wire, 1 GB once decompressed.
        assert len(bombs[encoding]) < BOMB_CAP
    with serve(bomb_routes(bombs)) as server:
        measured = measure_fetch(
            f"{server.base}/{encoding}.xml",
            f"{server.base}/warm.xml",
            tmp_path / "cache.json",
            max_bytes=BOMB_CAP,
            read_timeout=10,
            feed_timeout=60,
            deadline=60,
        )
    assert measured["status"] == "failed"
    assert "over the 2 MB limit" in measured["reason"], measured
    if encoding != "identity":
        assert f"once decompressed ({encoding}," in measured["reason"], measured
    # Memory grows by the capped body and a few decompression steps, not by
    # what the body inflates to (httpx decoding a whole read first: 64 MB
    # and more for gzip, the whole gigabyte for br).
    grown_mb = (measured["peak_kb"] - measured["before_kb"]) / 1024
    assert grown_mb < 24, measured


def test_compressed_feeds_are_read(tmp_path):
    """gzip (also two members), deflate with and without its zlib wrapper,
    br, and two encodings one after the other."""
    import brotli

    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    raw_deflate = raw.compress(RSS_BODY) + raw.flush()
    half = len(RSS_BODY) // 2
    bodies = {
        "gzip": (gzip.compress(RSS_BODY), "gzip"),
        "gzip-members": (gzip.compress(RSS_BODY[:half]) + gzip.compress(RSS_BODY[half:]), "gzip"),
        "deflate": (zlib.compress(RSS_BODY), "deflate"),
        "deflate-raw": (raw_deflate, "deflate"),
        "br": (brotli.compress(RSS_BODY), "br"),
        "gzip-br": (brotli.compress(gzip.compress(RSS_BODY)), "gzip, br"),
        "identity": (RSS_BODY, "identity"),
    }
    rss_type = {"Content-Type": "application/rss+xml"}
    routes = {
        f"/{name}": replying(body, dict(rss_type, **{"Content-Encoding": enc}))
        for name, (body, enc) in bodies.items()
    }
    routes["/garbage"] = replying(b"\x1f\x8b not gzip at all", dict(rss_type, **{"Content-Encoding": "gzip"}))
    routes["/zstd"] = replying(b"whatever", dict(rss_type, **{"Content-Encoding": "zstd"}))
    with serve(routes) as server:
        feeds = [Feed(name, f"{server.base}/{name}", ("en",), "en") for name in [*bodies, "garbage", "zstd"]]
        results = by_name(fetch_feeds(feeds, tmp_path / "cache.json", OPTIONS))
        sent = server.requests_to("/gzip")[0]
    assert sent["accept-encoding"] == "gzip, deflate, br"
    for name in bodies:
        assert results[name].status == "updated", (name, results[name].reason)
        assert results[name].items == 2, name
    assert "not valid gzip data" in results["garbage"].reason
    assert "compressed as 'zstd'" in results["zstd"].reason


# --- Many feeds: a bounded number in flight, all inside the deadline ---


@pytest.mark.slow
def test_a_thousand_feeds_all_fetched_inside_the_deadline(tmp_path):
    """1,000 feeds on one local server that takes 0.25 s to answer each, as
    a distant one would. The deadline and the number in flight are the
    defaults (60 s, 50); the per-feed limits are scaled down with the
    answer time (1 s to connect, 3 s per feed). With every feed started at
    once, as before, none of the 1,000 was fetched: 612 waited past the
    pool timeout (PoolTimeout) and the rest past their own time limit."""
    count = 1000
    options = FetchOptions(connect_timeout=1, feed_timeout=3)
    with serve_many(RSS_BODY, delay=0.25) as (base, stats):
        feeds = [Feed(f"Feed {n}", f"{base}/feed/{n}.xml", ("en",), "en") for n in range(count)]
        started = time.perf_counter()
        results = fetch_feeds(feeds, tmp_path / "cache.json", options)
        elapsed = time.perf_counter() - started
        served = stats()
    failed = [r.line() for r in results if r.status != "updated"]
    assert failed == [], failed[:5]
    assert elapsed < options.deadline
    assert served["requests"] == count  # each feed asked for once
    assert served["most_in_hand"] <= options.concurrency
    cache = json.loads((tmp_path / "cache.json").read_text(encoding="utf-8"))
    assert len(cache["feeds"]) == count
    assert all(len(state["items"]) == 2 for state in cache["feeds"].values())


def test_feeds_still_waiting_at_the_deadline_are_named_and_keep_their_items(tmp_path):
    def slow(headers):
        time.sleep(0.6)
        return Reply(200, RSS_BODY, {"Content-Type": "application/rss+xml"})

    cache_path = tmp_path / "cache.json"
    with serve({"*": slow}) as server:
        feeds = [Feed(f"Feed {n}", f"{server.base}/{n}.xml", ("en",), "en") for n in range(6)]
        first = fetch_feeds(feeds, cache_path, FetchOptions(concurrency=6, deadline=10))
        assert [r.status for r in first] == ["updated"] * 6
        options = FetchOptions(concurrency=2, deadline=1.0, read_timeout=5)
        results = fetch_feeds(feeds, cache_path, options)
        most_in_hand = server.most_in_hand
    reasons = [r.reason for r in results]
    assert [r.status for r in results[:2]] == ["updated", "updated"]
    assert reasons[2:4] == ["not finished within the overall deadline of 1 s"] * 2
    assert (
        reasons[4:]
        == ["not started within the overall deadline of 1 s (2 feeds at a time; see NEWS_CONCURRENCY)"] * 2
    )
    assert all(r.items == 2 for r in results)  # nothing lost
    assert most_in_hand <= 6


# --- Charsets: what the bytes are, not what the feed says ---

RU_TITLES = [
    "Пытки в СИЗО: новое дело",
    "Омбудсмен посетил колонию, пытки",
    "Правозащитники сообщили о пытках задержанных в ИВС Бишкека",
]


def ru_feed(encoding, declared=None):
    """An RSS feed of RU_TITLES as the bytes of ``encoding``, with an XML
    declaration naming ``declared`` (none when None)."""
    decl = f' encoding="{declared}"' if declared else ""
    items = "".join(
        f"<item><title>{title}</title><link>http://ru.test/{n}</link>"
        f"<description>Новость номер {n}: правозащитники сообщили подробности.</description></item>"
        for n, title in enumerate(RU_TITLES)
    )
    text = (
        f'<?xml version="1.0"{decl}?><rss version="2.0"><channel><title>Лента</title>{items}</channel></rss>'
    )
    return text.encode(encoding)


@pytest.mark.parametrize(
    "encoding, declared, content_type",
    [
        ("windows-1251", None, "application/rss+xml"),  # declares nothing
        ("koi8-r", None, "text/xml"),
        ("windows-1251", "utf-8", "application/rss+xml"),  # declares UTF-8
        ("windows-1251", None, "text/xml; charset=ISO-8859-1"),  # a server's default
        ("koi8-r", "windows-1251", "application/rss+xml"),  # the other Russian one
        ("windows-1251", "koi8-r", "application/rss+xml"),
        ("utf-8", "windows-1251", "application/rss+xml"),
    ],
)
def test_undeclared_or_wrongly_declared_charsets_are_detected(encoding, declared, content_type, caplog):
    body = ru_feed(encoding, declared)
    items = parse_feed(body, content_type, "http://ru.test/feed", name="Лента")
    assert [i["title"] for i in items] == RU_TITLES
    assert items[0]["summary"] == "Новость номер 0: правозащитники сообщили подробности."
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1, warnings
    assert "feed 'Лента'" in warnings[0] and f"read as {encoding}" in warnings[0], warnings


@pytest.mark.parametrize(
    "encoding, declared, content_type",
    [
        ("windows-1251", "windows-1251", "application/rss+xml"),
        ("koi8-r", None, "application/rss+xml; charset=KOI8-R"),
        ("utf-8", None, "application/rss+xml"),
    ],
)
def test_correctly_declared_charsets_are_used_without_a_warning(encoding, declared, content_type, caplog):
    items = parse_feed(ru_feed(encoding, declared), content_type, "http://ru.test/feed", name="Лента")
    assert [i["title"] for i in items] == RU_TITLES
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == []


def test_a_western_feed_without_a_charset_stays_western():
    text = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>Le café à Genève: réunion sur la prévention de la torture</title>"
        "<link>http://fr.test/1</link></item>"
        "<item><title>The ombudsman’s report – “torture” in detention…</title>"
        "<link>http://fr.test/2</link></item></channel></rss>"
    )
    items = parse_feed(text.encode("windows-1252"), "application/rss+xml", "http://fr.test/feed")
    assert [i["title"] for i in items] == [
        "Le café à Genève: réunion sur la prévention de la torture",
        "The ombudsman’s report – “torture” in detention…",
    ]


def test_one_bad_byte_in_a_utf8_feed_is_replaced_in_its_item_only(caplog):
    body = ru_feed("utf-8").replace("колонию".encode(), b"\xff" + "колонию".encode())
    items = parse_feed(body, "application/rss+xml; charset=utf-8", "http://ru.test/feed", name="Лента")
    titles = [i["title"] for i in items]
    assert titles == [RU_TITLES[0], "Омбудсмен посетил \ufffdколонию, пытки", RU_TITLES[2]]
    assert all("Ð" not in i["title"] + i["summary"] for i in items)  # nothing read as windows-1252
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("1 byte sequence(s) that are not valid utf-8" in w for w in warnings), warnings
    item_warnings = [w for w in warnings if "item 2" in w]
    assert len(item_warnings) == 1, warnings
    assert "feed 'Лента'" in item_warnings[0] and "field 'title'" in item_warnings[0]
    assert "Омбудсмен посетил" in item_warnings[0]


def test_an_undeclared_windows_1251_feed_is_stored_as_russian(tmp_path, caplog):
    """The reported case, end to end: the server sends windows-1251 bytes
    and names no charset anywhere."""
    with serve(
        {"/ru.xml": replying(ru_feed("windows-1251"), {"Content-Type": "application/rss+xml"})}
    ) as server:
        feed = Feed("Russian, undeclared", f"{server.base}/ru.xml", ("ru",), "ru")
        result = fetch_feeds([feed], tmp_path / "cache.json", OPTIONS)[0]
    assert result.status == "updated"
    stored = json.loads((tmp_path / "cache.json").read_text(encoding="utf-8"))["feeds"][feed.url]
    assert [i["title"] for i in stored["items"]] == RU_TITLES
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("'Russian, undeclared'" in w and "read as windows-1251" in w for w in warnings), warnings


# --- Dates: impossible ones are rejected with a warning ---


def test_impossible_feed_dates_are_rejected_with_a_warning(caplog):
    body = rss(
        [
            {"title": "Month 13", "link": "http://d.test/1", "pubDate": "2025-13-45T10:00:00Z"},
            {"title": "Day 45", "link": "http://d.test/2", "pubDate": "Mon, 45 Jan 2025 10:00:00 GMT"},
            {"title": "February 31", "link": "http://d.test/3", "pubDate": "31.02.2018"},
            {"title": "Hour 25", "link": "http://d.test/4", "pubDate": "2025-12-31T25:61:00Z"},
            {"title": "No date at all", "link": "http://d.test/5", "pubDate": "yesterday"},
            {"title": "Year 1", "link": "http://d.test/6", "pubDate": "0001-01-01T00:00:00Z"},
            {
                "title": "Next year",
                "link": "http://d.test/7",
                "pubDate": format_datetime(NOW + timedelta(days=400)),
            },
            {"title": "A good one", "link": "http://d.test/8", "pubDate": "Sat, 20 Jan 2018 10:28:19 +0600"},
            {"title": "Leap day", "link": "http://d.test/9", "pubDate": "2024-02-29T12:00:00Z"},
        ]
    )
    items = parse_feed(body, "application/rss+xml", "http://d.test/feed", NOW, name="Dates")
    published = {i["title"]: i["published"] for i in items}
    assert published == {
        "Month 13": None,
        "Day 45": None,
        "February 31": None,
        "Hour 25": None,
        "No date at all": None,
        "Year 1": None,
        "Next year": None,
        "A good one": "2018-01-20T04:28:19+00:00",
        "Leap day": "2024-02-29T12:00:00+00:00",
    }
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 7, warnings
    expected = {
        "item 1 ('Month 13')": "there is no month 13 in '2025-13-45T10:00:00Z'",
        "item 2 ('Day 45')": "there is no day 45",
        "item 3 ('February 31')": "there is no day 31 in month 2 of 2018",
        "item 4 ('Hour 25')": "there is no hour 25",
        "item 5 ('No date at all')": "'yesterday' is not a date",
        "item 6 ('Year 1')": "is not between the years 1990 and 2999",
        "item 7 ('Next year')": "is in the future",
    }
    for item, reason in expected.items():
        assert any(
            w.startswith("news: feed 'Dates' (http://d.test/feed): " + item)
            and "field 'published" in w
            and reason in w
            for w in warnings
        ), (item, warnings)


def test_an_impossible_date_falls_back_to_the_next_date_field(caplog):
    body = atom(
        [
            {
                "title": "Atom entry",
                "id": "urn:x:1",
                "href": "http://a.test/1",
                "updated": "2025-13-45T10:00:00Z",
            }
        ]
    ).replace(
        b"<updated>2025-13-45T10:00:00Z</updated>",
        b"<published>2025-13-45T10:00:00Z</published><updated>2025-11-20T10:00:00Z</updated>",
    )
    items = parse_feed(body, "application/atom+xml", "http://a.test/feed", NOW, name="Atom")
    assert items[0]["published"] == "2025-11-20T10:00:00+00:00"
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "field 'published" in warnings[0] and "no month 13" in warnings[0]


# --- The cache file: anyone can edit it ---


def test_a_bad_date_in_the_cache_is_a_warning_naming_file_item_and_field(tmp_path):
    feeds_yml = tmp_path / "feeds.yml"
    feeds_yml.write_text(
        "- name: Hand edited\n  url: http://h.test/feed\n  languages: [en, ru]\n", encoding="utf-8"
    )
    recent = (NOW - timedelta(days=2)).isoformat()
    items = [
        ("Torture case dated year 9999", "9999-12-31T23:00:00-05:00", recent),
        ("Torture case on 30 February", "2026-02-30T10:00:00+00:00", recent),
        ("Torture case with a number for a date", 12345, "0001-01-01T00:00:00+05:00"),
        ("Torture case with good dates", recent, recent),
    ]
    cache = {
        "version": 1,
        "feeds": {
            "http://h.test/feed": {
                "name": "Hand edited",
                "items": [
                    {"title": t, "link": f"http://h.test/{n}", "published": p, "seen": s}
                    for n, (t, p, s) in enumerate(items, 1)
                ],
            }
        },
    }
    cache_path = tmp_path / "news-cache.json"
    cache_path.write_text(json.dumps(cache), encoding="utf-8")
    result = build(
        tmp_path / "site",
        PATH=str(FIXTURE_CONTENT),
        NEWS_FEEDS_PATH=str(feeds_yml),
        NEWS_CACHE_PATH=str(cache_path),
        NEWS_TOPIC_KEYWORDS={"en": ["torture"], "ru": ["torture"], "ky": []},
        NEWS_MAX_AGE_DAYS=36500,
    )
    cache_warnings = [w for w in result.warnings if "news: cache" in w]
    expected = [
        ("item 1 ('Torture case dated year 9999')", "field 'published'", "9999-12-31T23:00:00-05:00"),
        ("item 2 ('Torture case on 30 February')", "field 'published'", "day is out of range for month"),
        ("item 3 ('Torture case with a number for a date')", "field 'published'", "12345 is not a date"),
        ("item 3 ('Torture case with a number for a date')", "field 'seen'", "0001-01-01T00:00:00+05:00"),
    ]
    # Once each per build (not once per language), naming file, feed, item and field.
    assert len(cache_warnings) == len(expected), cache_warnings
    for item, field, what in expected:
        assert any(
            str(cache_path) in w
            and "feed 'Hand edited' (http://h.test/feed)" in w
            and item in w
            and field in w
            and what in w
            and "the date is ignored" in w
            for w in cache_warnings
        ), (item, field, cache_warnings)
    page = (result.output / "news" / "index.html").read_text(encoding="utf-8")
    for title, *_ in items:
        assert title in page  # the items stay, without the bad dates


def test_fetching_over_a_hand_edited_cache_keeps_its_items(tmp_path, caplog):
    """A date without a time zone (and a broken one) among the earlier items:
    merging them with the new ones compares dates."""
    cache_path = tmp_path / "cache.json"
    with serve({"/rss.xml": replying(RSS_BODY, {"Content-Type": "application/rss+xml"})}) as server:
        url = f"{server.base}/rss.xml"
        earlier = [
            {
                "title": "Earlier, naive date",
                "link": "http://e.test/1",
                "published": NOW.strftime("%Y-%m-%dT%H:%M:%S"),
            },
            {"title": "Earlier, broken date", "link": "http://e.test/2", "published": "2026-13-01T00:00:00"},
        ]
        cache_path.write_text(
            json.dumps({"version": 1, "feeds": {url: {"name": "Good RSS", "items": earlier}}})
        )
        result = fetch_feeds([Feed("Good RSS", url, ("en",), "en")], cache_path, OPTIONS)[0]
    assert result.status == "updated"
    stored = json.loads(cache_path.read_text(encoding="utf-8"))["feeds"][url]["items"]
    assert [i["link"] for i in stored] == [
        "http://news.test/a/1",
        f"{url.rsplit('/', 1)[0]}/a/2",
        "http://e.test/1",
        "http://e.test/2",  # kept, without its date: nothing lost
    ]
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("item 2 ('Earlier, broken date'): field 'published'" in w for w in warnings), warnings
