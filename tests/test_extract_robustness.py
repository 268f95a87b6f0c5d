"""The public extractor on hostile input: a valid record or a typed FilmscrapeError, always, in bounded time."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from filmscrape.errors import FilmscrapeError
from filmscrape.extract import extract
from filmscrape.record import to_json_dict
from filmscrape.schema import validator

URL = "https://films.example/film/die-hard/"
FIXTURES = sorted((Path(__file__).parent / "fixtures" / "pages").glob("*.html"))
REALPAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "realpages" / "pages"
SOURCES = [p.read_bytes() for p in FIXTURES] + [p.read_bytes() for p in sorted(REALPAGES.glob("*.html"))[:12]]

# Generous per-call bounds: the point is "bounded", not a speed target on a shared machine.
FAST = settings(max_examples=40, deadline=timedelta(seconds=10), derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check(html: bytes | str) -> None:
    """The one acceptable outcome: a schema-valid record, or a FilmscrapeError naming the URL."""
    try:
        record = extract(html, URL)
    except FilmscrapeError as exc:
        assert exc.url == URL
        return
    errors = [e.message for e in validator().iter_errors(to_json_dict(record))]
    assert errors == []


TAGS = st.sampled_from([
    "<html>", "</html>", "<head>", "<body>", "</body>", "<div class='entry-content'>", "</div>", "<p>", "</p>",
    "<h1>", "</h1>", "<h2>Spoilers</h2>", "<b>", "</b>", "<br>", "<a href='/x'>", "</a>", "<table><tr><td>",
    "<script>", "</script>", "<style>p{}</style>", "<!--", "-->", "<![CDATA[", "]]>", "<meta charset='utf-8'>",
    "<meta charset='shift_jis'>", "<title>Die Hard (1988)</title>", "<details><summary>Spoiler</summary>",
    "Warning: spoilers below!", "Director: John McTiernan", "Runtime: 2 h 12 m", "Echo Score: 66",
    "<script type='application/ld+json'>{\"@type\": \"Movie\", \"name\": ", "}</script>", "&amp;", "&#0;",
    "&#xD800;", "\x00", "\ufeff", "<p>Last Updated: June 09, 2025 at 10:02</p>",
])
MARKUP = st.lists(st.one_of(TAGS, st.text(max_size=40)), max_size=60).map("".join)


@FAST
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    check(data)


@FAST
@given(MARKUP)
def test_random_markup_soup(html: str) -> None:
    check(html)
    check(html.encode("utf-8", "surrogatepass"))


@FAST
@given(st.sampled_from(range(len(SOURCES))), st.data())
def test_mutated_real_pages(index: int, data: st.DataObject) -> None:
    page = bytearray(SOURCES[index])
    for _ in range(data.draw(st.integers(1, 4))):
        where = data.draw(st.integers(0, len(page)))
        action = data.draw(st.sampled_from(["truncate", "drop", "duplicate", "garbage"]))
        if action == "truncate":
            del page[where:]
        elif action == "drop":
            del page[where:where + data.draw(st.integers(1, 2000))]
        elif action == "duplicate":
            page[where:where] = page[max(0, where - 3000):where]
        else:
            page[where:where] = data.draw(st.binary(min_size=1, max_size=64))
    check(bytes(page))


@FAST
@given(st.text(min_size=1, max_size=300), st.sampled_from(["cp1252", "shift_jis", "utf-16", "gb18030", "euc_kr"]),
       st.sampled_from(["", "<meta charset='utf-8'>", "<meta http-equiv='Content-Type' content='text/html; "
                                                       "charset=iso-8859-1'>"]))
def test_odd_encodings_and_lying_meta_charsets(text: str, codec: str, meta: str) -> None:
    html = f"<html><head>{meta}<title>Film</title></head><body><h1>{text}</h1><p>{text}</p></body></html>"
    check(html.encode(codec, errors="replace"))


@pytest.mark.parametrize("html", [b"", b" \r\n\t", "", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00" * 64])
def test_empty_files(html: bytes | str) -> None:
    check(html)


def test_json_ld_that_is_not_json() -> None:
    check(b"<html><head><script type='application/ld+json'>{\"@type\": \"Movie\", \"name\": \"Die Hard\",, "
          b"'director': undefined, </script><script type='application/ld+json'>[[[[</script>"
          b"<script type='application/ld+json'>" + b"{\"a\":" * 5000 + b"</script></head>"
          b"<body><h1>Die Hard (1988)</h1><p>Director: John McTiernan</p></body></html>")


def test_ten_thousand_deep_nesting() -> None:
    check("<html><body>" + "<div><span>" * 10_000 + "Die Hard" + "</span></div>" * 10_000 + "</body></html>")


def test_ten_thousand_deep_lists_and_tables() -> None:
    check("<html><body>" + "<ul><li><table><tr><td>" * 2_500 + "x" + "</td></tr></table></li></ul>" * 2_500
          + "</body></html>")


@pytest.mark.slow
def test_a_20_mb_page() -> None:
    para = "<p>Ballerina closes on a somber yet resolute note, with <a href='/x'>links</a> and more text.</p>\n"
    check(("<html><head><title>Huge</title></head><body><h1>Huge</h1>" + para * (20_000_000 // len(para))
           + "</body></html>").encode("utf-8"))


@pytest.mark.parametrize("piece", ["<script", "<div class='x' ", "<p>\xe9", "<!--", "\n<b>"])
def test_a_megabyte_of_one_unclosed_fragment_stays_bounded(piece: str) -> None:
    start = time.perf_counter()
    check(("<html><body>" + piece * (1_000_000 // len(piece))).encode("utf-8"))
    assert time.perf_counter() - start < 30  # generous: linear work, not a speed target


@pytest.mark.parametrize("piece", ["<h2>spoiler ", "<h1><span><b>", "<h2><i>Die Hard</i> "])
def test_two_thousand_nested_headings_stay_bounded(piece: str) -> None:
    # Unclosed headings nest to libxml2's depth limit; any per-heading walk of the subtree is then quadratic
    # (this took 11-20 s before headings were read within a budget; now well under a second).
    start = time.perf_counter()
    check(("<html><body>" + piece * 5_000).encode("utf-8"))
    assert time.perf_counter() - start < 10


@pytest.mark.parametrize("piece", ["<cite>Heat ", "<em>x", "<i>Die Hard "])
def test_two_thousand_nested_italics_stay_bounded(piece: str) -> None:
    # Unclosed italics nest like unclosed headings; the italic-title heuristic reads each one (2.4-5 s before
    # each was read within a budget and its ancestors scanned in C; now about a quarter of a second).
    start = time.perf_counter()
    check(("<html><body>" + piece * 2_000).encode("utf-8"))
    assert time.perf_counter() - start < 10
