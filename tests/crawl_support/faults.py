"""A hostile little site: an index page linking to every fault the crawler must survive, and what each must cause."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from string import Template

from tests.crawl_support.server import Fixed, Flaky, Huge, Page, Redirect, Route, SlowBody, Stall, Truncated
from tests.crawl_support.site import FIXTURES, TEMPLATES

# Crawl settings the fault expectations assume.
FAULT_SETTINGS = {
    "DOWNLOAD_TIMEOUT": 1,
    "RETRY_TIMES": 2,
    "REDIRECT_MAX_TIMES": 5,
    "DOWNLOAD_MAXSIZE": 1_000_000,
    "DOWNLOAD_WARNSIZE": 0,
    "FILMSCRAPE_RETRY_AFTER_MAX": 5,
    "FILMSCRAPE_RATE_LIMIT_DELAY_MAX": 0,  # keep the rest of this crawl fast; tested in test_crawl_rate_limit.py
}


@dataclass(frozen=True)
class Fault:
    """A linked path, and the error kind it must be counted as (None: it must be recorded, not an error)."""

    path: str
    kind: str | None
    route: Route
    linked: bool = True  # False: reached only through another fault (a redirect's next hop)


def plain_page(title: str, text: str, *, lang: str = "en", meta_charset: str = "utf-8",
               encoding: str = "utf-8", canonical: str = "") -> bytes:
    """A small page from the ``plain.html`` template, encoded as a site in that encoding would send it."""
    page = Template((TEMPLATES / "plain.html").read_text(encoding="utf-8")).substitute(
        title=title, text=text, lang=lang, meta_charset=meta_charset, canonical=canonical)
    return page.encode(encoding)


def film_page(n: int) -> bytes:
    return plain_page(f"Film page {n}", f"An ordinary film page, number {n}, that should be recorded once.",
                      canonical=f"/ok/page-{n}/")


def faults() -> list[Fault]:
    """Every fault, in the order the index page links them."""
    endless = [Fault(f"/fault/endless/{i}/", None, Redirect(f"/fault/endless/{i + 1}/"), linked=False)
               for i in range(1, 12)]
    return [
        Fault("/fault/server-error/", "server_error", Fixed(500, b"<html><body>Internal error</body></html>")),
        Fault("/fault/flaky-500/", None, Flaky(1, 503, Page(film_page(101)))),
        Fault("/fault/rate-limited/", None, Flaky(1, 429, Page(film_page(102)), retry_after="1")),
        Fault("/fault/always-429/", "rate_limited", Fixed(429, b"slow down", headers={"Retry-After": "0"})),
        Fault("/fault/timeout/", "timeout", Stall(4.0)),
        Fault("/fault/slow-body/", None, SlowBody(film_page(103), chunks=4, pause=0.1)),
        Fault("/fault/redirect-chain/", None, Redirect("/fault/redirect-2/")),
        Fault("/fault/redirect-2/", None, Redirect("/fault/redirect-3/", 302), linked=False),
        Fault("/fault/redirect-3/", None, Redirect("/ok/redirect-target/", 307), linked=False),
        Fault("/fault/loop-a/", "redirect_loop", Redirect("/fault/loop-b/")),
        Fault("/fault/loop-b/", None, Redirect("/fault/loop-a/"), linked=False),
        Fault("/fault/loop-self/", "redirect_loop", Redirect("/fault/loop-self/")),
        Fault("/fault/endless/0/", "too_many_redirects", Redirect("/fault/endless/1/")),
        *endless,
        Fault("/fault/not-found/", "not_found", Fixed(404, b"<html><body>Not found</body></html>")),
        Fault("/fault/gone/", "gone", Fixed(410, b"<html><body>Gone</body></html>")),
        Fault("/fault/forbidden/", "client_error", Fixed(403, b"<html><body>Forbidden</body></html>")),
        Fault("/fault/press-kit/", "wrong_content_type",
              Fixed(200, (FIXTURES / "press-kit.pdf").read_bytes(), "application/pdf")),
        Fault("/fault/poster/", "wrong_content_type", Fixed(200, (FIXTURES / "poster.png").read_bytes(), "image/png")),
        Fault("/fault/api/", "wrong_content_type",
              Fixed(200, (FIXTURES / "film.json").read_bytes(), "application/json")),
        Fault("/fault/cp1252/", None, Fixed(200, plain_page("Amélie à la carte", "Crème brûlée, naïve café.",
                                                           lang="fr", meta_charset="windows-1252",
                                                           encoding="cp1252"), "text/html; charset=windows-1252")),
        Fault("/fault/shift-jis/", None, Fixed(200, plain_page("千と千尋の神隠し", "宮崎駿監督の映画です。", lang="ja",
                                                              meta_charset="shift_jis", encoding="shift_jis"),
                                                   "text/html; charset=shift_jis")),
        Fault("/fault/lying-charset/", "charset_mismatch",
              Fixed(200, plain_page("Léon: the professional", "Réalisé par Luc Besson.", lang="fr",
                                    meta_charset="windows-1252", encoding="cp1252"), "text/html; charset=utf-8")),
        Fault("/fault/truncated/", "truncated", Truncated(film_page(104), missing=2000)),
        Fault("/fault/huge/", "too_large", Huge(3_000_000)),
        Fault("/fault/huge-undeclared/", "too_large", Huge(3_000_000, declare=False)),
        Fault("/fault/same-as-page-1/", None, Redirect("/ok/page-1/")),
        Fault("/fault/gzip-bomb/", "too_large",
              Fixed(200, gzip.compress(b"<html><body>" + b" " * 3_000_000 + b"</body></html>"),
                    headers={"Content-Encoding": "gzip"})),
        Fault("/fault/moved-off-site/", None, Redirect("https://elsewhere.example/film/")),
    ]


def fault_routes() -> dict[str, Route]:
    """The whole site: ordinary pages, the faults, and an index page linking to all of them."""
    routes: dict[str, Route] = {f"/ok/page-{n}/": Page(film_page(n)) for n in range(1, 6)}
    routes["/ok/redirect-target/"] = Page(film_page(99))
    links = [*routes, *(f.path for f in faults() if f.linked), "/ok/page-1/?utm_source=feed", "/private/secret/"]
    for fault in faults():
        routes[fault.path] = fault.route
    index = "".join(f'<li><a href="{link}">{link}</a></li>' for link in links)
    routes["/"] = Page(plain_page("Hostile film site", f"</p><ul>{index}</ul><p>"))
    routes["/robots.txt"] = Fixed(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
    routes["/private/secret/"] = Page(film_page(666))
    return routes
