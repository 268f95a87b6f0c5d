"""The crawler tells HTML from other bodies, and a declared charset that cannot be right from one that can."""

from __future__ import annotations

from pathlib import Path

import pytest

from filmscrape.crawl.content import charset_problem, declared_charset, is_html, without_charset

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "crawl"
PAGE = "<html><head><title>Amélie</title></head><body><h1>Amélie à la carte</h1></body></html>"


@pytest.mark.parametrize(("content_type", "body", "expected"), [
    ("text/html; charset=UTF-8", b"<p>hi</p>", True),
    ("application/xhtml+xml", b"<html/>", True),
    ("TEXT/HTML", b"", True),
    ("application/pdf", (FIXTURES / "press-kit.pdf").read_bytes(), False),
    ("image/png", (FIXTURES / "poster.png").read_bytes(), False),
    ("application/json", (FIXTURES / "film.json").read_bytes(), False),
    (None, b"\n  <!DOCTYPE html><html><body>x</body></html>", True),  # no header: sniffed
    (None, (FIXTURES / "press-kit.pdf").read_bytes(), False),
])
def test_html_is_recognised_by_content_type_or_by_sniffing(content_type: str | None, body: bytes,
                                                           expected: bool) -> None:
    assert is_html(content_type, body) is expected


def test_the_charset_parameter_is_read_and_can_be_removed() -> None:
    assert declared_charset('text/html; Charset="Shift_JIS"') == "Shift_JIS"
    assert declared_charset("text/html") is None
    assert without_charset("text/html; charset=utf-8; q=1") == "text/html; q=1"


@pytest.mark.parametrize(("content_type", "encoding"), [
    ("text/html; charset=windows-1252", "cp1252"),
    ("text/html; charset=shift_jis", "shift_jis"),
    ("text/html; charset=utf-8", "utf-8"),
    ("text/html", "cp1252"),  # nothing declared: nothing to contradict
])
def test_a_truthful_charset_is_no_problem(content_type: str, encoding: str) -> None:
    body = (PAGE if encoding != "shift_jis" else "<html><body>千と千尋の神隠し</body></html>").encode(encoding)
    assert charset_problem(content_type, body) is None


def test_utf8_declared_over_cp1252_bytes_is_a_problem() -> None:
    problem = charset_problem("text/html; charset=utf-8", PAGE.encode("cp1252"))
    assert problem is not None and "does not decode" in problem


def test_latin1_declared_over_utf8_bytes_is_a_problem_though_it_decodes() -> None:
    problem = charset_problem("text/html; charset=iso-8859-1", PAGE.encode("utf-8"))
    assert problem == "declared 'iso-8859-1' but the body is UTF-8"


def test_an_unknown_charset_is_a_problem() -> None:
    assert charset_problem("text/html; charset=x-klingon", b"<p>qapla</p>") == "unknown charset 'x-klingon'"
