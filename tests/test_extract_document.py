"""Decoding and parsing: every encoding trap real pages set, saved HTTP headers, bad input, huge and deep pages."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest

from filmscrape.errors import ExtractionError
from filmscrape.extract import document
from filmscrape.extract.document import parse_document, split_saved_headers

URL = "https://films.example/review/"
PARAGRAPH = "Die Frau des Königs zeigt weibliche Stärke – «très réussi», sagt die Kritik über den Film."
JAPANESE = "映画「ゴジラ」の結末を解説します。ネタバレ注意！最後のシーンの意味とは何だったのか。"
CHINESE = "电影《太行山上》讲述了八路军在太行山区抗击日本侵略者的故事，导演韦廉。"


def page(body: str, head: str = "") -> str:
    return (f"<!DOCTYPE html><html><head>{head}<title>Film</title></head>"
            f"<body><div class='nav'><a href='/'>Home</a></div><article><p>{body}</p><p>{body}</p></article>"
            "</body></html>")


def paragraph_text(html: bytes, headers: dict[str, str] | None = None) -> str:
    doc = parse_document(html, URL, headers)
    return str(doc.root.xpath("string(//article/p[1])"))


def test_utf8_without_any_declaration_decodes() -> None:
    assert paragraph_text(page(PARAGRAPH).encode("utf-8")) == PARAGRAPH


def test_utf8_bytes_win_over_a_declared_latin1_charset() -> None:
    html = page(PARAGRAPH, '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">')
    assert paragraph_text(html.encode("utf-8")) == PARAGRAPH


def test_a_meta_charset_after_the_first_kilobyte_does_not_turn_utf8_into_latin1() -> None:
    html = page(PARAGRAPH, "<!-- " + "x" * 2000 + ' --><meta charset="utf-8">')
    assert paragraph_text(html.encode("utf-8")) == PARAGRAPH


def test_cp1252_bytes_under_a_lying_utf8_meta_fall_back_to_cp1252() -> None:
    html = page(PARAGRAPH.replace("–", "-").replace("«", '"').replace("»", '"'), '<meta charset="utf-8">')
    assert paragraph_text(html.encode("cp1252")) == PARAGRAPH.replace("–", "-").replace("«", '"').replace("»", '"')


def test_shift_jis_bytes_under_a_lying_latin1_meta_are_detected() -> None:
    html = page(JAPANESE, '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">')
    assert paragraph_text(html.encode("shift_jis")) == JAPANESE


def test_undeclared_gb2312_bytes_are_detected() -> None:
    assert paragraph_text(page(CHINESE).encode("gb2312")) == CHINESE


def test_the_http_content_type_charset_is_used() -> None:
    html = page(PARAGRAPH.replace("–", "-").replace("«", "").replace("»", ""))
    text = paragraph_text(html.encode("cp1252"), {"Content-Type": "text/html; charset=windows-1252"})
    assert "Königs zeigt weibliche Stärke" in text


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-32"])
def test_a_byte_order_mark_decides_the_encoding(codec: str) -> None:
    assert paragraph_text(page(PARAGRAPH).encode(codec)) == PARAGRAPH


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_recognised(codec: str) -> None:
    assert paragraph_text(page(PARAGRAPH).encode(codec)) == PARAGRAPH


def test_saved_curl_headers_are_stripped_and_their_charset_used() -> None:
    body = page(PARAGRAPH.replace("–", "-").replace("«", "").replace("»", "")).encode("cp1252")
    saved = (b"HTTP/1.1 200 OK\r\nDate: Fri, 31 Jan 2014 10:08:08 GMT\r\n"
             b"Content-Type: text/html; charset=windows-1252\r\nContent-Language: de-DE\r\n\r\n" + body)
    doc = parse_document(saved, URL)
    assert doc.headers["content-type"] == "text/html; charset=windows-1252"
    assert doc.lang == "de-DE"
    assert "HTTP/1.1" not in doc.root.text_content()
    assert "Stärke" in doc.root.text_content()


def test_redirect_header_blocks_before_the_page_are_all_stripped() -> None:
    saved = (b"HTTP/1.1 301 Moved Permanently\nLocation: /film/\n\n"
             b"HTTP/1.1 200 OK\nContent-Type: text/html\n\n<html><body><p>Film</p></body></html>")
    headers, body = split_saved_headers(saved)
    assert headers["location"] == "/film/"
    assert body.startswith(b"<html>")


def test_caller_headers_override_saved_ones() -> None:
    saved = b"HTTP/1.1 200 OK\nContent-Language: sv\n\n<html><body><p>Film</p></body></html>"
    doc = parse_document(saved, URL, {"Content-Language": "en"})
    assert doc.headers["content-language"] == "en"


def test_the_html_lang_attribute_beats_the_header() -> None:
    doc = parse_document(b'<html lang="fr"><body><p>Film</p></body></html>', URL, {"Content-Language": "en"})
    assert doc.lang == "fr"
    assert doc.lang_primary == "fr"


def test_a_corpus_wrapper_line_before_the_doctype_is_dropped_so_the_head_stays_a_head() -> None:
    html = (b'<text id="http://x/" encoding="utf-8">\n<!DOCTYPE html><html><head><title>T</title></head>'
            b"<body><p>B</p></body></html>\n</text>")
    doc = parse_document(html, URL)
    assert doc.root.find("head/title") is not None


def test_an_xml_declaration_in_a_str_page_parses() -> None:
    doc = parse_document('<?xml version="1.0" encoding="UTF-8" ?><html><body><p>Übersicht</p></body></html>', URL)
    assert doc.root.text_content() == "Übersicht"


def test_nul_bytes_are_removed() -> None:
    doc = parse_document(b"<html><body><p>Die\x00 Hard</p></body></html>", URL)
    assert doc.root.text_content() == "Die Hard"


@pytest.mark.parametrize("html", [b"", b"   \n\t  ", "", b"\x00\x00\x00"])
def test_empty_input_is_a_typed_error_naming_the_url(html: bytes | str) -> None:
    with pytest.raises(ExtractionError) as excinfo:
        parse_document(html, URL)
    assert excinfo.value.url == URL


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    b"GIF89a\x01\x00\x01\x00",
    b'{"title": "Die Hard", "year": 1988, "directors": ["John McTiernan"]}',
    b'[{"title": "Die Hard"}]',
    bytes(range(256)) * 8,
])
def test_non_html_input_is_a_typed_error(data: bytes) -> None:
    with pytest.raises(ExtractionError, match="not HTML"):
        parse_document(data, URL)


@pytest.mark.parametrize("noise", ["\x01\x02\x03\x1f", "\ufffd\ufffd\ufffd\ufffd"])
def test_text_that_is_mostly_control_characters_or_replacements_is_not_html(noise: str) -> None:
    with pytest.raises(ExtractionError, match="binary or undecodable"):
        parse_document("<p>" + noise * 200, URL)


def test_a_few_stray_control_characters_do_not_reject_a_page() -> None:
    page = "<html><body><p>" + "Ordinary text. " * 100 + "\x07\ufffd</p></body></html>"
    assert parse_document(page, URL).root.findtext(".//p").startswith("Ordinary")


def test_a_non_html_content_type_is_a_typed_error() -> None:
    with pytest.raises(ExtractionError, match="image/jpeg"):
        parse_document(b"<html><body>x</body></html>", URL, {"Content-Type": "image/jpeg"})


def test_gzip_compressed_bytes_are_decompressed() -> None:
    doc = parse_document(gzip.compress(page(PARAGRAPH).encode("utf-8")), URL)
    assert PARAGRAPH in doc.root.text_content()


def test_scrapy_style_bytes_headers_are_accepted() -> None:
    doc = parse_document(b"<html><body><p>x</p></body></html>", URL,
                         {b"Content-Language": [b"pt-BR"]})  # type: ignore[dict-item]
    assert doc.lang == "pt-BR"


def test_a_20_mb_page_is_cut_and_parsed_in_bounded_time() -> None:
    row = "<tr><td><a href='/title/tt0095016/'>Die Hard</a></td><td>8.2</td></tr>\n"
    html = ("<html><body><h1>Top films</h1><table>" + row * (20_000_000 // len(row)) + "</table></body></html>")
    start = time.perf_counter()
    doc = parse_document(html.encode("utf-8"), URL)
    assert time.perf_counter() - start < 20  # generous: bounded, not a speed target
    assert doc.truncated
    assert len(doc.text) <= document.MAX_PARSE_CHARS
    assert doc.root.findtext(".//h1") == "Top films"


def test_ten_thousand_nested_divs_keep_the_text_after_them() -> None:
    html = "<html><body>" + "<div>" * 10_000 + "deep" + "</div>" * 10_000 + "<p>after the nesting</p></body></html>"
    doc = parse_document(html, URL)
    text = doc.root.text_content()
    assert "deep" in text
    assert "after the nesting" in text


def test_deeply_nested_lists_parse_without_error() -> None:
    html = "<html><body>" + "<ul><li>" * 5_000 + "x" + "</li></ul>" * 5_000 + "</body></html>"
    assert parse_document(html, URL).root.tag == "html"


def test_broken_markup_still_parses() -> None:
    html = b"<html><body><p>Unclosed <b>bold <i>italic</p><table><tr><td>cell</div></span><p>next &nbsp &copy 2025"
    doc = parse_document(html, URL)
    assert "next" in doc.root.text_content()


def test_real_pages_decode_as_the_readme_says(realpages_dir: Path) -> None:
    pages = realpages_dir / "pages"
    expectations = {
        "rosamag-2022-woman-king-interview.html": "Stärke",
        "liberation-2017-screenshot-picks.html": "Jérémy",
        "zol-2005-taihang-mountains-post-zh.html": "太行山上",
        "netease-2005-clean-review-zh.html": "清洁",
        "imdb-2014-gandhi.html": "Gandhi",
    }
    for name, expected in expectations.items():
        assert expected in parse_document((pages / name).read_bytes(), URL).root.text_content(), name


def test_a_wrong_http_charset_falls_back_to_the_pages_own_declaration() -> None:
    polish = "Zażółć gęślą jaźń – recenzja filmu, który zaskakuje."
    html = page(polish, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1250">')
    text = paragraph_text(html.encode("cp1250"), {"Content-Type": "text/html; charset=utf-8"})
    assert text == polish


def test_indexed_elements_come_in_document_order_wherever_they_sit() -> None:
    doc = parse_document('<html><head><meta name="a"><title>T</title></head><body><h1>One</h1>'
                         '<div><meta name="b"><h1>Two</h1></div></body></html>', URL)
    assert [el.get("name") for el in doc.elements("meta")] == ["a", "b"]
    assert [el.text for el in doc.elements("h1")] == ["One", "Two"]
    assert [el.text for el in doc.elements("title")] == ["T"] and doc.elements("link") == []


def test_text_content_reads_every_element_as_lxml_does() -> None:
    doc = parse_document("<html><head><title>A &amp; B</title></head><body><h1>x<i>y</i>z</h1><h1></h1>"
                         "<h1>p<!-- c -->q</h1></body></html>", URL)
    for el in doc.root.iter():
        if isinstance(el.tag, str):  # elements; a comment has no text content
            assert document.text_content(el) == el.text_content()
