"""Links are found in one pass over the page bytes, resolved, deduplicated and stripped of fragments."""

from __future__ import annotations

from filmscrape.crawl.links import find_links
from tests.crawl_support.site import CineSite


def test_links_resolve_against_the_page_or_its_base_href() -> None:
    body = (b'<html><head><base href="/films/"></head><body>'
            b'<a class="x" href="/news/a/#comments">A</a> <A HREF=\'b?x=1&amp;y=2\'>B</A> <a href=c>C</a>'
            b"</body></html>")
    assert find_links(body, "https://films.example/p/q") == [
        "https://films.example/news/a/", "https://films.example/films/b?x=1&y=2", "https://films.example/films/c"]


def test_non_http_links_anchors_and_repeats_are_dropped() -> None:
    body = (b'<a href="#top">top</a><a href="mailto:x@films.example">mail</a><a href="javascript:print()">p</a>'
            b'<a href="/a/">a</a><a href="/a/#more">a again</a><a name="x">no href</a><link href="/style.css">')
    assert find_links(body, "https://films.example/") == ["https://films.example/a/"]


def test_non_ascii_hrefs_decode_with_the_page_encoding() -> None:
    body = '<a href="/critique/amélie/">Amélie</a>'.encode("cp1252")
    assert find_links(body, "https://films.example/", "cp1252") == ["https://films.example/critique/amélie/"]


def test_every_link_of_a_generated_article_page_is_found() -> None:
    site = CineSite("http://127.0.0.3:8000", reviews=3, news=5)
    body = site.routes[site.news_paths[0]].body  # type: ignore[attr-defined]
    links = find_links(body, "http://127.0.0.3:8000" + site.news_paths[0])
    assert "http://127.0.0.3:8000/news/" in links
    assert {f"http://127.0.0.3:8000{p}" for p in site.news_paths[1:4]} <= set(links)
    assert "https://share.example/?u=http://127.0.0.3:8000/news/" + site.news[0].slug + "/" in links
