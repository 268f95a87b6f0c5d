"""Page dates (published/updated): machine strings strictly, human strings in many languages, layered by trust.

A page date is when the page or article was published or updated. Film release dates (schema.org
``Movie.datePublished``, "Release Date: ..."), masthead "today" dates, comment and reply dates, related-article
dates, copyright years and dates in other pages' URLs are not page dates, and this module never returns them.
"""

from __future__ import annotations

import bisect
import email.utils
import itertools
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import etree

from filmscrape.extract.candidates import Candidate, Context, Layer
from filmscrape.extract.document import Document
from filmscrape.extract.normalize import fold_case
from filmscrape.extract.schemaorg import (
    ARTICLE_TYPES,
    FILM_TYPES,
    REVIEW_TYPES,
    VIDEO_TYPES,
    WEBPAGE_TYPES,
    WORK_TYPES,
    Item,
)
from filmscrape.extract.structured import StructuredData, main_entity, read_structured

logger = logging.getLogger(__name__)

EARLIEST_PAGE_DATE = datetime(1990, 1, 1, tzinfo=UTC)
# Languages whose month names the fast table below reads; pages in other languages go through dateparser.
DEFAULT_LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs")
_MAX_HUMAN_PARSES = 4  # dateparser calls per page (each ~1 ms, more on a language's first use)

# ------------------------------------------------------------------------------------------ parsing strings

_MONTHS: dict[str, int] = {}
for _num, _names in enumerate((
    "january jan januar janvier enero gennaio janeiro januari jänner janv ene genn stycznia styczeń leden ledna",
    "february feb februar février fevrier febrero febbraio fevereiro februari févr fév lutego luty únor února",
    "march mar märz maerz mars marzo março maart mär mrz marca marzec březen března",
    "april apr avril abril aprile avr abr kwietnia kwiecień duben dubna",
    "may mai mayo maggio maio mei mag maja maj květen května",
    "june jun juni juin junio giugno junho giu czerwca czerwiec červen června",
    "july jul juli juillet julio luglio julho juil lug lipca lipiec červenec července",
    "august aug août aout agosto augustus ago sierpnia sierpień srpen srpna",
    "september sep sept septembre septiembre setiembre settembre setembro set września wrzesień září",
    "october oct oktober octobre octubre ottobre outubro okt ott out października październik říjen října",
    "november nov novembre noviembre novembro listopada listopad listopadu",
    "december dec dezember décembre decembre diciembre dicembre dezembro dez dic grudnia grudzień prosinec prosince",
), start=1):
    for _name in _names.split():
        _MONTHS[_name] = _num
_WEEKDAYS = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|montag|dienstag|"
    r"mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b\.?,?",
    re.I,
)

_WEEKDAYS_FOLDED = re.compile(_WEEKDAYS.pattern)  # the same lower-case words, for fold_case text
_ISO = re.compile(
    r"^\s*(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})"
    r"(?:(?:[T\s]|[A-Za-z]{1,5})*(?P<H>\d{1,2}):?(?P<M>\d{2})(?::?(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?\s*$",
    re.I,
)
# The form nearly every page writes ("2025-02-01T08:00:00Z", "...+01:00"): datetime reads it in C, ~10x faster than
# _ISO and the arithmetic after it, with the same result (no fraction to drop, offsets datetime accepts).
_RFC3339 = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])")
_RFC2822 = re.compile(r"^\s*(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")

_YEAR4 = r"(?:19|20)\d\d"
# Possessive: a shorter run of letters is followed by a letter, never by the ".", "," or space a month name needs.
_MONTH_WORD = r"[^\W\d_]{3,12}+"
# Every form opens with a digit or a letter: the lookahead turns other positions away before the five forms'
# lookbehinds are tried (~25% faster on the windows the page scan searches); only the last opens with a letter,
# so at a letter the four digit forms are skipped with one test.
_DATE_IN_TEXT = re.compile(
    r"(?=[^\W_])(?:(?=\d)(?:"
    rf"(?<![\d.])(?P<iy>{_YEAR4})(?P<isep>[-/.])(?P<im>0?[1-9]|1[0-2])(?P=isep)(?P<id>0?[1-9]|[12]\d|3[01])(?![\d])"
    rf"|(?P<cy>{_YEAR4})\s*年\s*(?P<cm>\d{{1,2}})\s*月\s*(?P<cd>\d{{1,2}})\s*日"
    rf"|(?<![\d./-])(?P<na>\d{{1,2}})(?P<nsep>[./-])(?P<nb>\d{{1,2}})(?P=nsep)(?P<ny>{_YEAR4}|\d\d)(?![\d]|[./-]\d)"
    rf"|(?<!\w)(?P<dd>\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?(?P<dmon>{_MONTH_WORD})\.?,?\s+(?:de\s+)?"
    rf"(?P<dy>{_YEAR4})(?!\d)"
    rf")|(?<!\w)(?P<mmon>{_MONTH_WORD})\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>{_YEAR4})(?!\d)"
    r")"
)
_TWO_DIGITS = re.compile(r"\d\d")  # every _DATE_IN_TEXT form has a year: a cheap test before it
_TIME_AFTER = re.compile(
    r"[ \t]{0,3}(?:,|at|um|à|a las|alle|o|\||-|\u2013)?[ \t]{0,3}(?P<H>\d{1,2})[:h](?P<M>\d{2})(?::(?P<S>\d{2}))?\s*"
    r"(?P<ampm>[ap]\.?m\.?)?(?:\s*(?:Uhr|h))?(?:\s*(?P<tz>ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|CET|CEST|"
    r"UTC|GMT|BST))?",
    re.I,
)
_ZONE_ABBREVIATIONS = {
    "ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
    "CT": "America/Chicago", "CST": "America/Chicago", "CDT": "America/Chicago",
    "MT": "America/Denver", "MST": "America/Denver", "MDT": "America/Denver",
    "PT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "CET": "Europe/Berlin", "CEST": "Europe/Berlin", "BST": "Europe/London", "UTC": "UTC", "GMT": "UTC",
}
_RELATIVE = re.compile(
    r"(?:(?P<n>\d+|an?|one)\s*(?P<unit>minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|w|months?)\s+ago"
    r"|vor\s+(?P<dn>\d+|einer?|einem)\s+(?P<dunit>minuten?|stunden?|tag(?:en)?|wochen?|monat(?:en)?)"
    r"|il y a\s+(?P<fn>\d+|une?)\s+(?P<funit>minutes?|heures?|jours?|semaines?|mois)"
    r"|hace\s+(?P<sn>\d+|una?)\s+(?P<sunit>minutos?|horas?|d[ií]as?|semanas?|meses?))",
    re.I,
)
_UNIT_MINUTES: tuple[tuple[tuple[str, ...], int], ...] = (
    (("min",), 1),
    (("mo", "mes"), 43200),
    (("h", "stund", "heure"), 60),
    (("d", "tag", "jour"), 1440),
    (("w", "semaine", "semana"), 10080),
)


# Compiled once: these run per date, <time> and class name, and re.search(pattern, ..., re.I) pays a cache
# lookup and flag arithmetic on every call.
_CLOCK_IN_TEXT = re.compile(r"\d[:h]\d\d")
_CLOCK = re.compile(r"\d:\d\d")
_PUBLISH_CLASS = re.compile(r"publish", re.I)
_UPDATE_CLASS = re.compile(r"updat|modif", re.I)


def _zone(name: str | None) -> Any:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _finish(dt: datetime, has_time: bool, timezone: str | None) -> datetime:
    """Naive times get the site's zone; a bare day stays that calendar day (midnight UTC)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=_zone(timezone) if has_time else UTC)
    try:
        return dt.astimezone(UTC)
    except (OverflowError, ValueError):  # year 1 or 9999 pushed past the calendar by an offset
        return dt.replace(tzinfo=UTC)


def parse_machine_date(text: str, timezone: str | None = "UTC") -> datetime | None:
    """ISO 8601 (also the broken forms CMSs write: ``2018-11-28CET11:59:00+0100``, ``20141229 18:22:00``,
    a space for ``T``) and RFC 2822. None for anything else."""
    if _RFC3339.fullmatch(text):
        try:
            return datetime.fromisoformat(text).astimezone(UTC)
        except ValueError:  # no such day or time, as datetime() says below
            return None
    match = _ISO.match(text)
    if match:
        try:
            dt = datetime(int(match["y"]), int(match["m"]), int(match["d"]),
                          int(match["H"] or 0), int(match["M"] or 0), int(match["S"] or 0))
        except ValueError:
            return None
        tz = (match["tz"] or "").upper()
        if tz in ("Z", "UTC", "GMT"):
            dt = dt.replace(tzinfo=UTC)
        elif tz:
            sign = -1 if tz[0] == "-" else 1
            digits = tz[1:].replace(":", "")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
            dt = (dt - sign * offset).replace(tzinfo=UTC)
        return _finish(dt, match["H"] is not None, timezone)
    if _RFC2822.match(text):
        try:
            parsed = email.utils.parsedate_to_datetime(text.strip())
        except (TypeError, ValueError, IndexError):
            return None
        return _finish(parsed, True, timezone)
    return None


@lru_cache(maxsize=16)
def _human_parser(languages: tuple[str, ...]) -> Any:
    """One dateparser parser per language set, configured once (building one per call costs ~18 ms)."""
    from dateparser.date import DateDataParser

    try:
        return DateDataParser(languages=list(languages) or None,
                              settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"]})
    except ValueError:  # an unknown language code in a profile
        return DateDataParser(settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"]})


def _human(text: str, languages: Sequence[str]) -> tuple[datetime, bool] | None:
    try:
        data = _human_parser(tuple(languages)).get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd input; a miss is the right answer
        logger.debug("dateparser failed on %.60r", text)
        return None
    if data is None or data.date_obj is None or data.period != "day" or not 1800 <= data.date_obj.year <= 2200:
        return None  # dateparser reads some non-dates as year 1
    has_time = bool(_CLOCK_IN_TEXT.search(text))
    return data.date_obj, has_time


def _two_digit_year(year: str) -> int:
    value = int(year)
    if len(year) == 4:
        return value
    return 2000 + value if value < 50 else 1900 + value


def _month_first(languages: Sequence[str]) -> bool:
    return bool(languages) and languages[0] in ("en", "en-us")


def _from_match(match: re.Match[str], text: str, languages: Sequence[str], month_first: bool,
                timezone: str | None, budget: list[int]) -> datetime | None:
    """The datetime a ``_DATE_IN_TEXT`` match (plus any time of day after it) states."""
    try:
        if match["iy"]:
            day = datetime(int(match["iy"]), int(match["im"]), int(match["id"]))
        elif match["cy"]:
            day = datetime(int(match["cy"]), int(match["cm"]), int(match["cd"]))
        elif match["na"]:
            a, b = int(match["na"]), int(match["nb"])
            year = _two_digit_year(match["ny"])
            day_first = a > 12 or ((match["nsep"] == "." or not month_first) and b <= 12)
            day = datetime(year, b, a) if day_first else datetime(year, a, b)
        else:
            word = (match["dmon"] or match["mmon"]).lower()
            number = int(match["dd"] or match["md"])
            year = int(match["dy"] or match["my"])
            month = _MONTHS.get(word)  # whole names and abbreviations only: "Marvel 3, 2019" is no date
            if month is None:
                if budget[0] <= 0 or len(word) < 3:
                    return None
                budget[0] -= 1
                human = _human(match.group(0), languages)
                if human is None:
                    return None
                day = human[0].replace(hour=0, minute=0, second=0, microsecond=0)
            else:
                day = datetime(year, month, number)
    except ValueError:
        return None
    clock = _TIME_AFTER.match(text, match.end())
    if not clock:
        return _finish(day, False, timezone)
    hour, minute = int(clock["H"]), int(clock["M"])
    ampm = (clock["ampm"] or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return _finish(day, False, timezone)
    zone = _ZONE_ABBREVIATIONS.get((clock["tz"] or "").upper(), timezone)
    return _finish(day.replace(hour=hour, minute=minute), True, zone)


def parse_date(text: str, *, languages: Sequence[str] | None = None, timezone: str | None = "UTC",
               date_formats: Iterable[str] = ()) -> datetime | None:
    """A tz-aware UTC datetime from a machine or human date string, or None.

    Machine strings (ISO 8601, RFC 2822) are read strictly and first, then ``date_formats`` (strptime
    patterns from a site profile), then the common human forms in many languages, then dateparser with
    ``languages``. Naive times are read in ``timezone``; a bare day stays that calendar day.
    """
    text = " ".join(text.split())
    if not text or len(text) > 200:
        return None
    langs = tuple(languages) if languages else DEFAULT_LANGUAGES
    machine = parse_machine_date(text, timezone)
    if machine is not None:
        return machine
    for fmt in date_formats:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return _finish(parsed, any(c in fmt for c in "HIMS"), timezone)
    codes = _dateparser_languages(langs)
    stripped = _WEEKDAYS.sub(" ", text).strip()
    match = _DATE_IN_TEXT.search(stripped)
    if match:
        return _from_match(match, stripped, codes, _month_first(langs), timezone, [1])
    if not any(c.isdigit() for c in text):
        return None
    human = _human(text, codes)
    return _finish(human[0], human[1], timezone) if human else None


# ------------------------------------------------------------------------------------------ structured data

_META_PUBLISHED = (
    "article:published_time", "og:article:published_time", "article:published", "og:published_time",
    "published_time", "datepublished", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date",
    "dcterms.created", "dc.date.created", "pubdate", "publishdate", "publish-date", "publish_date",
    "parsely-pub-date", "sailthru.date", "article.published", "date", "bt:pubdate", "cxenseparse:recs:publishtime",
)
_META_UPDATED = (
    "article:modified_time", "og:updated_time", "og:article:modified_time", "article:modified", "modified_time",
    "datemodified", "dc.date.modified", "dcterms.modified", "lastmod", "last-modified-date", "article.updated",
)


@dataclass(frozen=True)
class _Found:
    field: str
    value: datetime
    source: str
    layer: Layer


_LIST_TYPES = frozenset({"ItemList"})


def _page_items(data: StructuredData) -> list[Item]:
    """Top-level items that describe the page itself, most specific first (never a film, product, event)."""
    # <body itemscope itemtype=WebPage><article itemprop=mainEntity itemscope itemtype=BlogPosting>: the
    # article is nested in markup but is the page's main item
    entity = main_entity(data)
    ordered: list[Item] = [entity] if entity is not None else []
    for types in (ARTICLE_TYPES, REVIEW_TYPES, VIDEO_TYPES, WEBPAGE_TYPES, _LIST_TYPES):
        for item in data.top(types):
            if not item.is_a(WORK_TYPES) and all(item is not o for o in ordered):
                ordered.append(item)
    return ordered


def _is_film_page(data: StructuredData) -> bool:
    og_type = data.meta_first("og:type")
    return bool(data.top(FILM_TYPES)) or (og_type is not None and og_type[1].lower() in ("video.movie", "movie"))


def _machine_date(text: str, tz: str | None, seen: dict[str, datetime | None]) -> datetime | None:
    """``parse_machine_date`` once per string on a page: JSON-LD, meta and ``<time>`` often repeat one timestamp."""
    if text not in seen:
        seen[text] = parse_machine_date(text, tz)
    return seen[text]


_ARTICLE_OR_REVIEW = ARTICLE_TYPES | REVIEW_TYPES


def _structured_dates(data: StructuredData, tz: str | None, date_formats: Sequence[str],
                      seen: dict[str, datetime | None], film_page: bool) -> list[_Found]:
    found: list[_Found] = []

    def add(field: str, text: object, source: str) -> None:
        if not isinstance(text, str):
            return
        # parse_date's first step, shared with the page's other machine strings
        normal = " ".join(text.split())
        value = _machine_date(normal, tz, seen) if 0 < len(normal) <= 200 else None
        if value is None:
            value = parse_date(text, timezone=tz, date_formats=date_formats)
        if value:
            found.append(_Found(field, value, source, Layer.STRUCTURED))

    def add_item(item: Item) -> None:
        for prop in ("datePublished", "uploadDate", "dateCreated"):
            for value in item.values(prop):
                add("published_at", value, f"{item.syntax}:{item.type_name}.{prop}")
        for value in item.values("dateModified"):
            add("updated_at", value, f"{item.syntax}:{item.type_name}.dateModified")

    items = _page_items(data)
    # an article or review item is the page; article meta next; a video or generic WebPage item may be an
    # embed or a site-wide template, so it only fills in
    for item in items:
        if item.is_a(_ARTICLE_OR_REVIEW):
            add_item(item)
    for key in _META_PUBLISHED:
        for content in data.meta.get(key, ()):
            add("published_at", content, f"meta:{key}")
    for key in _META_UPDATED:
        for content in data.meta.get(key, ()):
            add("updated_at", content, f"meta:{key}")
    for item in items:
        if not item.is_a(_ARTICLE_OR_REVIEW):
            add_item(item)
    if not film_page:
        # itemprops outside any itemscope: on an article they date the page; on a film page the film
        for value in data.orphans.get("datePublished", []):
            add("published_at", value, "microdata:datePublished")
        for value in data.orphans.get("dateModified", []):
            add("updated_at", value, "microdata:dateModified")
    return found


# ------------------------------------------------------------------------------------------ page text

_SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "select", "option", "textarea", "button", "nav", "aside",
    "iframe", "object", "head", "title", "input", "figcaption",
})
# Words of class/id tokens (split at - and _) that mark blocks whose dates are never the page's.
_CHROME_WORDS = frozenset({
    "comment", "comments", "commentlist", "kommentar", "kommentare", "reply", "replies", "respond", "related",
    "sidebar", "widget", "widgets", "menu", "breadcrumb", "breadcrumbs", "masthead", "recent", "popular",
    "trending", "recommended", "recommendations", "teaser", "teasers", "promo", "newsletter", "share", "sharing",
    "social", "disqus", "outbrain", "taboola", "ticker", "banner", "cookie", "cookies", "copyright", "also",
    "caption", "credit", "credits",
    "reviews", "userreviews",
})
_HEADER_TOKENS = frozenset({"header", "site-header", "page-header", "global-header", "top-bar", "topbar"})
# WordPress writes category and tag slugs into the article's classes ("category-social-media"); not markers
_TAXONOMY = ("category-", "tag-", "post_tag-", "post-", "type-", "format-", "status-", "postid-", "author-")


def _marker_kind(lowered: str) -> str | None:
    """``"chrome"``, ``"footer"`` or None for an element's class and id text, in lower case."""
    kind: str | None = None
    for token in lowered.split():
        if token.startswith(_TAXONOMY):
            continue
        parts = token.replace("_", "-").split("-")  # str methods: a third faster than a regex split
        if "foot" in token and ("footer" in parts or token.startswith("foot")):
            kind = "footer"
        elif token in _HEADER_TOKENS or parts[0] == "header" or not _CHROME_WORDS.isdisjoint(parts):
            return "chrome"
    return kind
_DATE_HINT = re.compile(
    r"date|time|byline|dateline|posted|publish|meta|info|stamp|author|submitted|updated|modified", re.I
)
# The same words without IGNORECASE, for lower-cased ASCII text, where they match the same (re.I also pairs a few
# non-ASCII letters with ASCII ones, the long s U+017F with "s"): several times faster than a case-insensitive
# alternation.
_DATE_HINT_LOWER = re.compile(_DATE_HINT.pattern)
# The label patterns below are lower case and run on ``fold_case`` text: five times faster than re.IGNORECASE.
_LABEL_UPDATED = re.compile(
    r"(?:last\s+updated|updated(?:\s+on)?|last\s+modified|modified(?:\s+on)?|last\s+edited\s+on|last\s+revised|"
    r"zuletzt\s+aktualisiert(?:\s+am)?|aktualisiert(?:\s+am)?|geändert(?:\s+am)?|stand|mis\s+à\s+jour(?:\s+le)?|"
    r"modifié(?:\s+le)?|actualizado(?:\s+el)?|aggiornato(?:\s+il)?|atualizado(?:\s+em)?|zaktualizowano|"
    r"bijgewerkt(?:\s+op)?|更新时间|更新于|最后修改|最后更新|修改时间)\s*[:\uff1a.\-]?\s*(?:on|am|le|el|il|em|op)?\s*$",
)
_LABEL_PUBLISHED = re.compile(
    r"(?:first\s+published(?:\s+on)?|published(?:\s+on)?|posted(?:\s+on)?|publication\s+date|date\s+published|"
    r"veröffentlicht(?:\s+am)?|erschienen(?:\s+am)?|publié(?:\s+le)?|publicado(?:\s+el|\s+em)?|"
    r"pubblicato(?:\s+il)?|opublikowano|gepubliceerd(?:\s+op)?|发布时间|发表于|发布于|发表时间|发帖时间|时间|"
    r"date|datum|data|fecha)\s*[:\uff1a.\-]?\s*(?:on|am|le|el|il|em|op)?\s*$",
)
_LABEL_NOT_PAGE = re.compile(
    r"(?:release\s+date|date\s+of\s+release|released(?:\s+on)?|release|in\s+theaters|in\s+cinemas|"
    r"premiere[ds]?|street\s+date|on\s+(?:dvd|blu-ray)|kinostart|im\s+kino|erscheinungsdatum|sortie|estreno|"
    r"uscita|watched|rated|born|died|geboren|gestorben|birth|death|airs?|aired|broadcast|opening|opens|since|"
    r"member\s+since|joined|registered|expires?|valid\s+until|deadline|event|screening|today|heute|"
    r"aujourd'hui|hoy|oggi)(?:\s*\([^)]{0,25}\))?\s*[:\uff1a]?\s*(?:on|am|le|is|ist)?\s*$",
)
# a release word just before the date, even with other words between: "Release Date (Theaters): Wide, ..."
_RELEASE_NEAR = re.compile(r"\b(?:release|released|premiere|premiered|kinostart|in\s+theaters|sortie|estreno)\b")
# "Updated 3:45 PM ET, June 10, 2025": a time of day between the label and the date
_TRAILING_CLOCK = re.compile(r"\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?\s*[,|\-]?\s*$", re.I)
_BYLINE = re.compile(r"(?:^|\s|\|)(?:by|von|par|door|di|por|av|przez|autor|written\s+by)\s+\S", re.I)
_TABLE_LANGUAGES = frozenset({"en", "en-us", "de", "fr", "es", "it", "pt", "nl", "pl", "cs"})
_COUNTRY_AFTER = re.compile(r"\s*\((?:[A-Z][\w .'-]{1,30})\)")


@dataclass
class _TextDate:
    value: datetime
    start: int
    label: str | None  # "published", "updated", or None
    score: int
    signature: str
    in_footer: bool
    source: str
    offset: int  # in the page text; -1 for <time> elements


# Script and style text stays in (filtering costs more than it saves); dates found there are dropped by
# _Places.placement. lxml's "smart" strings know their element: the page text is joined from them, so an offset in
# it maps onto the node that holds it.
_TEXT_NODES = etree.XPath("/descendant::body/descendant::text()")
_TIMES = etree.XPath("/descendant::body/descendant::time[@datetime]")
_FIRST_H1 = etree.XPath("(/descendant::body/descendant::h1[normalize-space()])[1]")
_XML_SPACE = " \t\r\n"
# Body dates are found by their 4-digit year (two-digit years are read in <title> and by parse_date), one century
# at a time: a pattern led by a literal scans ~10x faster than one with lookbehinds and ~3x faster than one led by
# an alternation ("(?:19|20)\d\d"); boundaries are checked in Python.
_CENTURIES = (re.compile(r"19(?=\d\d)"), re.compile(r"20(?=\d\d)"))
_MAX_TIMES = 60
_MAX_MATCHES = 40


class _Stream:
    """The page's text in document order as one string, read in C; elements are found only for dates.

    Walking every element in Python costs several ms on a large page. Here the text comes from one C-level
    read (the compiled body text stream, else one XPath call), a cheap scan finds 4-digit years, the full date
    pattern runs only around them, and the element holding a date is looked up by its offset only when a date
    was found.

    Without the compiled stream the text nodes are fetched once, as smart strings: most pages hold a date, and
    fetching plain strings first and smart ones for the owners took twice as long (0.51 vs 0.27 ms median).
    """

    def __init__(self, doc: Document) -> None:
        root = self.root = doc.root
        self._nodes: list[Any] = []
        self._c_stream: Any = doc.text_stream()  # the same text and owners, read in C (_treewalk.body_text)
        if self._c_stream is not None:
            self.text: str = self._c_stream.text
        else:
            self._nodes = _TEXT_NODES(root)
            self.text = "\n".join(self._nodes)
        self.h1_end: int | None = None
        # the <time datetime> elements and the first non-blank <h1> in <body>, from the page's element index (a
        # walk of the body of its own cost ~0.06 ms a page)
        body = next(root.iterchildren("body"), None)  # root.find("body") goes through ElementPath: ~10x slower
        heading = ""
        self.times: list[etree._Element] = []
        if body is None:
            h1 = _FIRST_H1(root)
            heading = "".join(h1[0].itertext()).strip() if h1 else ""
            self.times = _TIMES(root)
        else:
            self.times = [el for el in doc.elements("time") if el.get("datetime") is not None and _inside(el, body)]
            for el in doc.elements("h1"):
                content = "".join(el.itertext()) if _inside(el, body) else ""
                if content.strip(_XML_SPACE):  # XPath's normalize-space() strips only these
                    heading = content.strip()
                    break
        if heading:
            found = self.text.find(heading)
            if found >= 0:
                self.h1_end = found + len(heading)
        self._ends: list[int] | None = None

    def matches(self) -> Iterator[re.Match[str]]:
        """Date-shaped matches, each found by scanning a window around a year."""
        text = self.text
        last_end = -1
        count = 0
        size = len(text)
        for begin in _year_starts(text):
            end = begin + 4
            if (begin and text[begin - 1].isdigit()) or (end < size and text[end].isdigit()):
                continue
            # a date either starts with the year (2005-08-28, 2005年) or ends with it after a space,
            # comma, dot or dash that follows a day or month ("(1982)" and "1,982" are neither)
            starts = end < size and text[end] in "-/.年 "
            ends = begin >= 2 and text[begin - 1] in " \t\n\xa0,./-" and (text[begin - 2].isalnum()
                                                                           or text[begin - 2] in ".,")
            if not (starts or ends):
                continue
            lo = max(last_end, begin - 30, 0)
            match = _DATE_IN_TEXT.search(text, lo, min(len(text), end + 20))
            if match is None or match.start() < last_end:
                continue
            last_end = match.end()
            count += 1
            if count > _MAX_MATCHES * 4:
                return
            yield match

    def owner(self, match: re.Match[str]) -> etree._Element | None:
        """The element whose own text holds ``match`` (for a tail, the enclosing element)."""
        if self._c_stream is not None:
            owner: etree._Element | None = self._c_stream.owner(match.start())
            return owner
        if self._ends is None:  # where each node's text ends in the joined text (+1 for its newline)
            self._ends = list(itertools.accumulate(map((1).__add__, map(len, self._nodes))))
        index = bisect.bisect_right(self._ends, match.start())
        if index >= len(self._nodes):
            return None
        node = self._nodes[index]
        parent: etree._Element | None = node.getparent()
        if parent is not None and node.is_tail:
            parent = parent.getparent()
        return parent


def _inside(el: etree._Element, body: etree._Element) -> bool:
    """Whether ``el`` sits in ``body`` (an element's first <body> ancestor, found in C, is the one it is in)."""
    return next(el.iterancestors("body"), None) is body


def _year_starts(text: str) -> list[int]:
    """Where ``(?:19|20)\\d\\d`` matches in ``text``, left to right and without overlap, as ``re.finditer`` finds it:
    every 19xx and 20xx start, in text order, each skipped when it overlaps the year before."""
    starts: list[int] = []
    free = 0
    for start in sorted(hit.start() for century in _CENTURIES for hit in century.finditer(text)):
        if start >= free:
            starts.append(start)
            free = start + 4
    return starts


# Class/id words of the page's own date or byline block: such a block dates the page even inside an <aside>
# (layouts put the byline and date in a left rail: <aside class="left-rail"><time class="published-date">).
_PAGE_DATE_MARK = re.compile(r"publish|byline|dateline|pubdate|posted-on", re.I)
_PAGE_DATE_MARK_LOWER = re.compile(_PAGE_DATE_MARK.pattern)

# What one element says about the dates inside it, read from its own tag and attributes (see _Node.step)
_PASS, _FOOTER, _TOP, _CHROME = range(4)


@lru_cache(maxsize=4096)
def _marker_facts(marker: str) -> tuple[str | None, bool]:
    """(``_marker_kind``, a page-date block mark) for an element's class and id text."""
    lowered = marker.lower()
    mark = _PAGE_DATE_MARK_LOWER.search(lowered) if marker.isascii() else _PAGE_DATE_MARK.search(marker)
    return _marker_kind(lowered), mark is not None


@lru_cache(maxsize=4096)
def _date_hint(text: str) -> bool:
    """Whether class, id or itemprop text names a date block (``_DATE_HINT``)."""
    found = _DATE_HINT_LOWER.search(text.lower()) if text.isascii() else _DATE_HINT.search(text)
    return found is not None


class _Node:
    """One element as the date filters read it: its tag and attributes are read once per page, however many
    dates sit inside it (every ``getparent()`` and ``get()`` builds a proxy or a string)."""

    __slots__ = ("aside", "cls", "el", "hint", "mark", "marker", "parent", "parent_read", "place", "place_marked",
                 "step")

    def __init__(self, el: etree._Element) -> None:
        self.el = el
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        self.cls = el.get("class") or ""
        self.marker = f"{self.cls} {el.get('id') or ''}"
        self.hint: bool | None = None  # date-block evidence in the class and id, read when signals asks
        # an <aside> is chrome unless a page-date mark sits at or below it (decided per walk, see _Places)
        self.aside = tag == "aside"
        # a page-date mark in the class or id; a walk ends at a chrome tag or at <body> whatever it says, so
        # there it is never read (it only picks which of the node's two memos holds the same answer)
        self.mark = False
        if (tag in _SKIP_TAGS and not self.aside) or el.get("hidden") is not None or el.get("role") in (
                "banner", "navigation"):
            self.step = _CHROME
        elif tag in ("body", "html"):
            self.step = _TOP
        else:
            kind, self.mark = _marker_facts(self.marker)
            self.step = _FOOTER if tag == "footer" or kind == "footer" else _CHROME if kind == "chrome" else _PASS
        self.parent: _Node | None = None
        self.parent_read = False
        # (chrome, footer) from here up, without and with a page-date mark below (it changes what an <aside> is)
        self.place: tuple[bool, bool] | None = None
        self.place_marked: tuple[bool, bool] | None = None


class _Places:
    """Where the page's dates sit: each element's ancestors are read once per page and shared by all dates."""

    def __init__(self) -> None:
        self._nodes: dict[etree._Element, _Node] = {}

    def _node(self, el: etree._Element) -> _Node:
        node = self._nodes.get(el)
        if node is None:
            node = self._nodes[el] = _Node(el)
        return node

    def _parent(self, node: _Node) -> _Node | None:
        if not node.parent_read:
            parent = node.el.getparent()
            node.parent = None if parent is None else self._node(parent)
            node.parent_read = True
        return node.parent

    def placement(self, el: etree._Element) -> tuple[bool, bool]:
        """(inside chrome that never dates the page, inside a footer) for the element holding a date."""
        node: _Node | None = self._node(el)
        marked = False
        below: list[tuple[_Node, bool, bool]] = []  # the elements walked through: (node, marked, a footer)
        result = (False, False)
        while node is not None:
            marked = marked or node.mark
            known = node.place_marked if marked else node.place
            if known is not None:
                result = known
                break
            step = _CHROME if node.aside and not marked else node.step
            if step in (_TOP, _CHROME):  # the walk ends here
                result = (step == _CHROME, False)
                below.append((node, marked, False))
                break
            below.append((node, marked, step == _FOOTER))
            node = node.parent if node.parent_read else self._parent(node)
        for node, marked, footer in reversed(below):
            if footer:
                result = (result[0], True)
            if marked:
                node.place_marked = result
            else:
                node.place = result
        return result

    def signals(self, el: etree._Element) -> tuple[int, str]:
        """(class/id/itemprop evidence of a date block up to 4 levels up, the element's signature)."""
        start = self._node(el)
        signature = f"{el.tag}.{start.cls}"
        node: _Node | None = start
        for _ in range(4):
            if node is None:
                break
            if node.hint is None:
                node.hint = _date_hint(node.marker)
            # the class, id and itemprop words are read as one text: <time itemprop="datePublished">
            if node.hint or ((itemprop := node.el.get("itemprop")) and _date_hint(itemprop)):
                return 2, signature
            node = node.parent if node.parent_read else self._parent(node)
        return 0, signature


def _label(prefix: str) -> str | None:
    folded = fold_case(prefix)
    if _LABEL_NOT_PAGE.search(folded) or _RELEASE_NEAR.search(folded[-30:]):
        return "not-page"
    if ":" in prefix or "." in prefix:  # else there is no clock to take off
        folded = fold_case(_TRAILING_CLOCK.sub("", prefix))
    if _LABEL_UPDATED.search(folded):
        return "updated"
    if _LABEL_PUBLISHED.search(folded):
        return "published"
    return None


def _without_weekdays(text: str) -> str:
    """``text`` with weekday names taken out; most texts name none, and the pre-check on folded text is several
    times faster than the case-insensitive pattern."""
    return _WEEKDAYS.sub("", text) if _WEEKDAYS_FOLDED.search(fold_case(text)) else text


def _prefix(text: str, start: int) -> str:
    return " ".join(text[max(0, start - 90):start].split())[-50:]


def _order(el: etree._Element) -> int:
    line = el.sourceline
    return line if isinstance(line, int) else 0


def _text_dates(root: etree._Element, stream: _Stream, languages: Sequence[str], month_first: bool,
                tz: str | None, seen: dict[str, datetime | None]) -> list[_TextDate]:
    text = stream.text
    found: list[_TextDate] = []
    budget = [_MAX_HUMAN_PARSES if not set(languages) <= _TABLE_LANGUAGES else 0]
    time_texts: set[str] = set()
    places = _Places()
    for el in stream.times[:_MAX_TIMES]:
        value = _machine_date(el.get("datetime") or "", tz, seen)
        if value is None:
            continue
        chrome, footer = places.placement(el)
        if chrome:
            continue
        time_texts.add(" ".join("".join(el.itertext()).split()))
        parent = el.getparent()
        before = (parent.text or "") if parent is not None and parent.text else ""
        score, signature = places.signals(el)
        label = _label(" ".join(before.split())[-50:])
        if label == "not-page":
            continue
        if label is None:
            classes = f"{el.get('class') or ''} {(parent.get('class') or '') if parent is not None else ''}"
            if el.get("pubdate") is not None or _PUBLISH_CLASS.search(classes):
                label = "published"
            elif _UPDATE_CLASS.search(classes):
                label = "updated"
                # hAtom themes mark the one date they show class="updated": it may well be the publication
                found.append(_TextDate(value, _order(el), None, score + 2, signature, footer, "time", -1))
        found.append(_TextDate(value, _order(el), label, score + 2, signature, footer, "time", -1))
    # The first _MAX_MATCHES dates that their label does not rule out are read, chrome or not; a date in chrome is
    # dropped whatever its label, so its label is read only when it may be the one that reaches that limit.
    counted = 0
    unread: list[re.Match[str]] = []  # dates in chrome whose label is not read yet
    for match in stream.matches():
        if time_texts and " ".join(match.group(0).split()) in time_texts:
            continue
        el = stream.owner(match)
        chrome, footer = places.placement(el) if el is not None else (True, False)
        if chrome or el is None:
            unread.append(match)
        elif (labelled := _text_label(text, match)) is not None:  # else "Release Date: 25 February 1983 (USA)"
            counted += 1
            prefix, label = labelled
            start = match.start()
            if label is None and el.tag == "time":
                label = _time_class_label(el)  # <time class="content-published-date">December 9, 2016</time>
            value = _from_match(match, text, languages, month_first, tz, budget)
            if value is not None:
                score, signature = places.signals(el)
                if _BYLINE.search(prefix):
                    score += 2
                clock_after = _CLOCK.search(text, match.end(), match.end() + 12)
                if _WEEKDAYS.search(text, max(0, start - 12), start) or clock_after:
                    score += 1
                if stream.h1_end is not None and 0 <= start - stream.h1_end <= 400:
                    score += 1
                found.append(_TextDate(value, _order(el), label, score, signature, footer, "text", start))
        if counted + len(unread) >= _MAX_MATCHES:
            counted += sum(_text_label(text, m) is not None for m in unread)
            unread.clear()
            if counted >= _MAX_MATCHES:
                break
    found.sort(key=lambda d: (d.start, d.offset))
    return found


def _text_label(text: str, match: re.Match[str]) -> tuple[str, str | None] | None:
    """(the text before a date in the page text, its label); None when the label says it is not the page's."""
    prefix = _without_weekdays(_prefix(text, match.start())).rstrip(" ,")
    label = _label(prefix)
    if label == "not-page" or (label is None and _COUNTRY_AFTER.match(text, match.end())):
        return None
    return prefix, label


def _time_class_label(el: etree._Element) -> str | None:
    """``published`` or ``updated`` for a <time> (without datetime) whose class says which date it shows."""
    classes = el.get("class") or ""
    if _PUBLISH_CLASS.search(classes):
        return "published"
    if _UPDATE_CLASS.search(classes):
        return "updated"
    return None


def _sign_off(found: list[_TextDate]) -> None:
    """``23 April 2002 / Last modified: 6 February 2003``: a bare date right before a labelled update."""
    for before, after in itertools.pairwise(found):
        if before.label is None and after.label == "updated" and 0 <= after.offset - before.offset < 40:
            before.score += 2


def _repeated(found: list[_TextDate]) -> set[str]:
    """Signatures of unlabeled dates repeated in a list (reviews, related posts, archives): not page dates."""
    unlabeled = [item for item in found if item.label is None]
    if len(unlabeled) < 3:  # a list needs three days
        return set()
    by_signature: dict[str, set[date]] = {}
    for item in unlabeled:
        by_signature.setdefault(item.signature, set()).add(item.value.date())
    return {sig for sig, days in by_signature.items() if len(days) >= 3}


# ------------------------------------------------------------------------------------------ URL and title

_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])(?:/|$)"
    r"|/((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:/|$)"
    r"|/((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:/|$|[-_])"
)


def url_date(url: str) -> datetime | None:
    """The day a page's own URL states (``/2016/12/21/slug``, ``/20231108/slug``); None without a day."""
    if "/19" not in url and "/20" not in url:  # every form starts with one; the URL holds the path
        return None
    path = urlsplit(url).path
    for match in _URL_DATE.finditer(path):
        y, m, d = (g for g in match.groups() if g is not None)
        try:
            return datetime(int(y), int(m), int(d), tzinfo=UTC)
        except ValueError:
            continue
    return None


def relative_date(text: str, base: datetime) -> datetime | None:
    """``3 days ago`` / ``vor 2 Stunden`` / ``il y a 5 jours`` / ``hace 2 días`` counted back from ``base``."""
    match = _RELATIVE.search(text)
    if not match:
        return None
    number = next(g for g in (match["n"], match["dn"], match["fn"], match["sn"]) if g is not None)
    unit = next(g for g in (match["unit"], match["dunit"], match["funit"], match["sunit"]) if g is not None).lower()
    count = int(number) if number.isdigit() else 1
    minutes = next((m for prefixes, m in _UNIT_MINUTES if unit.startswith(prefixes)), None)
    if minutes is None:
        return None
    base = base if base.tzinfo else base.replace(tzinfo=UTC)
    return (base - timedelta(minutes=minutes * count)).astimezone(UTC)


# ------------------------------------------------------------------------------------------ the layer


def page_languages(ctx: Context) -> tuple[str, ...]:
    """Languages to read human dates in: the profile's, else the page's declared language, else a default set."""
    if ctx.profile is not None and ctx.profile.languages:
        return tuple(ctx.profile.languages)
    root = ctx.doc.root
    declared = root.get("lang") or root.get("xml:lang") or ""
    if not declared:
        for meta in ctx.doc.elements("meta"):
            if (meta.get("http-equiv") or "").lower() == "content-language" and meta.get("content"):
                declared = meta.get("content") or ""
                break
    code = declared.strip().lower().replace("_", "-")
    if code:
        primary = code.split("-")[0]
        # US English writes 6/11/2023 month first; British, Australian... and every other language day first
        langs = ("en-us",) if code in ("en", "en-us") else (code if primary == "en" else primary,)
        return langs + tuple(lang for lang in ("en",) if lang != primary)
    return DEFAULT_LANGUAGES


def _dateparser_languages(languages: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(lang.split("-")[0] for lang in languages))


def _plausible(value: datetime, latest: datetime) -> bool:
    return EARLIEST_PAGE_DATE <= value <= latest


def _labelled_and_loose(text_dates: list[_TextDate], *, loose_allowed: bool) -> list[_Found]:
    """The first labelled published/updated date, then the best-evidenced unlabeled one (not on a film
    database page, where unlabeled dates are release dates, showtimes or user reviews)."""
    found: list[_Found] = []
    for label, field in (("published", "published_at"), ("updated", "updated_at")):
        for text_date in text_dates:
            # sign-offs such as "Last modified: ..." often sit in a footer; a publication date there is chrome
            if text_date.label == label and (not text_date.in_footer or label == "updated"):
                found.append(_Found(field, text_date.value, f"label:{text_date.source}:{label}", Layer.LABELLED))
                break
    repeated = _repeated(text_dates)
    loose = [d for d in text_dates
             if d.label is None and d.signature not in repeated and not d.in_footer and d.score >= 2]
    if loose and loose_allowed:
        chosen = max(loose, key=lambda d: (d.score, -d.start))
        found.append(_Found("published_at", chosen.value, f"text:{chosen.source}", Layer.HEURISTIC))
    return found


def _relative_dates(text: str, fetched_at: datetime) -> list[_Found]:
    head = text[:20000]
    # The page's text as UTF-8 with ASCII lowered (bytes.lower changes nothing else): byte searches in it are fast,
    # and the lower-cased str would cost ~3x more to build (str.lower looks up every non-ASCII character).
    data = head.encode("utf-8", "surrogatepass").lower()
    if not _may_hold_relative(data):
        return []
    for hit in _labelled_relative(head, data):
        relative = relative_date(hit.group("rel"), fetched_at)
        if relative is not None:
            # "updated" and "aktualisiert" are the labels that start with u or a, in any case
            field = "updated_at" if head[hit.start()] in "uUaA" else "published_at"
            return [_Found(field, relative, "label:relative", Layer.LABELLED)]
    return []


def _may_hold_relative(data: bytes) -> bool:
    """Whether a page's text (``data``: UTF-8, ASCII lower-cased) may hold a relative date: "ago" after a space,
    "vor" before one, or "l y a". A byte of a multi-byte character counts as a space (it may be a no-break space).

    Case-insensitive matching pairs these letters with their capitals only, and no other character lower-cases to
    them: most pages hold none of the three (and "Chicago" or "favor" are no relative dates).
    """
    if b"l y a" in data:
        return True
    for word, edge in ((b"ago", -1), (b"vor", 3)):  # "\s+ago", "vor\s+"
        at = data.find(word)
        while at >= 0:
            if 0 <= at + edge < len(data) and (data[at + edge] >= 0x80 or chr(data[at + edge]).isspace()):
                return True
            at = data.find(word, at + 1)
    return False


# Each relative-date label as the ASCII-lowered UTF-8 bytes show it, in any case: a stretch of it that is ASCII,
# and what may come before that stretch ("ver" and an ö or Ö before "ffentlicht"; "publi" also starts "publié").
_LABEL_STRETCHES: tuple[tuple[bytes, tuple[bytes, ...]], ...] = (
    (b"updated", (b"",)), (b"aktualisiert", (b"",)), (b"publi", (b"",)), (b"posted", (b"",)),
    (b"ffentlicht", ("ver\u00f6".encode(), "ver\u00d6".encode())),
)
# Characters IGNORECASE pairs with ASCII letters of the labels, in UTF-8: the Kelvin sign (k), the long s, the dotted
# and the dotless I.
_LABEL_LOOKALIKES = tuple(char.encode() for char in "\u212a\u017f\u0130\u0131")


def _labelled_relative(head: str, data: bytes) -> Iterator[re.Match[str]]:
    """``_LABELLED_RELATIVE.finditer(head)``, the pattern tried only where a label starts (``data``: ``head`` in
    UTF-8, ASCII lower-cased).

    Every match starts with a label, and without the look-alike characters a label in any case shows in ``data`` as
    one of ``_LABEL_STRETCHES``: byte searches find them, and the pattern is matched at each start in order, past the
    end of the last match, as finditer does. IGNORECASE leaves the search no letters to skip to: it tried the labels
    at each of 20,000 positions, ~0.6 ms a page.
    """
    # each look-alike's first byte is searched first: a one-byte search is a memchr
    if any(lookalike[0] in data and lookalike in data for lookalike in _LABEL_LOOKALIKES):
        yield from _LABELLED_RELATIVE.finditer(head)
        return
    starts: set[int] = set()
    for stretch, befores in _LABEL_STRETCHES:
        at = data.find(stretch)
        while at >= 0:
            starts.update(at - len(before) for before in befores
                          if at >= len(before) and data.startswith(before, at - len(before)))
            at = data.find(stretch, at + 1)
    chars = read = end = 0  # each start is an ASCII letter, so a character boundary: count characters up to it
    for start in sorted(starts):
        chars += len(data[read:start].decode("utf-8", "surrogatepass"))
        read = start
        if chars >= end and (hit := _LABELLED_RELATIVE.match(head, chars)) is not None:
            end = hit.end()
            yield hit


def date_candidates(ctx: Context) -> list[Candidate]:
    """published_at / updated_at candidates, most trusted first; never raises on what a page holds.

    STRUCTURED: JSON-LD/microdata of the page's own item (never a film's), article meta. LABELLED: a date
    after "Published"/"Updated"-style labels in many languages, ``<time>`` in a published/updated block.
    "Published 3 days ago" counted back from ``fetched_at``. HEURISTIC: a byline or dateline date, the page's
    own URL, a date in ``<title>``.
    Dates after ``fetched_at`` (+1 day) or before 1990, and updates before the publication, are dropped.
    """
    tz = ctx.profile.timezone if ctx.profile is not None else "UTC"
    fetched = ctx.fetched_at if ctx.fetched_at is not None else datetime.now(UTC)
    if fetched.tzinfo is None:
        fetched = fetched.replace(tzinfo=UTC)
    latest = fetched + timedelta(days=1)
    languages = page_languages(ctx)
    month_first = _month_first(languages)
    parse_langs = _dateparser_languages(languages)
    data = read_structured(ctx.doc)

    seen: dict[str, datetime | None] = {}  # machine date strings read on this page
    film_page = _is_film_page(data)
    found = _structured_dates(data, tz, ctx.profile.date_formats if ctx.profile is not None else (), seen, film_page)
    stream = _Stream(ctx.doc)
    text_dates = [d for d in _text_dates(ctx.doc.root, stream, parse_langs, month_first, tz, seen)
                  if _plausible(d.value, latest)]
    if ctx.fetched_at is not None and stream.h1_end is not None and any(
            d.label is None and 0 <= d.offset < stream.h1_end for d in text_dates):
        # a masthead shows the day the page was fetched, above the headline; it is not the page's date
        fetch_days = {(fetched + timedelta(days=d)).date() for d in (-1, 0, 1)}
        text_dates = [d for d in text_dates if not (d.label is None and 0 <= d.offset < stream.h1_end
                                                     and d.value.date() in fetch_days)]
    _sign_off(text_dates)
    found += _labelled_and_loose(text_dates, loose_allowed=not film_page)
    if (own := url_date(ctx.url)) is not None:
        found.append(_Found("published_at", own, "url:path-date", Layer.HEURISTIC))
    if ctx.fetched_at is not None:
        found += _relative_dates(stream.text, fetched)
    if data.title_tag and _TWO_DIGITS.search(data.title_tag) and (hit := _DATE_IN_TEXT.search(data.title_tag)):
        value = _from_match(hit, data.title_tag, parse_langs, month_first, tz, [0])
        if value is not None:
            found.append(_Found("published_at", value, "text:title-date", Layer.HEURISTIC))

    found = _timed_first(sorted((f for f in found if _plausible(f.value, latest)), key=lambda f: -f.layer))
    first_published = next((f.value.date() for f in found if f.field == "published_at"), None)
    return [
        Candidate(f.field, f.value, f.source, f.layer)
        for f in found
        if not (f.field == "updated_at" and first_published is not None and f.value.date() < first_published)
    ]


def _is_bare_day(value: datetime) -> bool:
    """A date stated without a time: it parses to midnight UTC (see ``_finish``)."""
    return value.utcoffset() == timedelta(0) and value.time() == time(0)


def _timed_first(found: list[_Found]) -> list[_Found]:
    """Per field, when the leading date is a bare day and a later source states a time on that same UTC day
    (microdata "2014-12-26", article:published_time "2014-12-26T19:15:22Z"), the timed one leads, with the
    bare day's trust: the sources agree, and it is the more precise."""
    out = list(found)
    for field in ("published_at", "updated_at"):
        ours = [f for f in out if f.field == field]
        if not ours or not _is_bare_day(ours[0].value):
            continue
        day = ours[0].value.date()
        timed = next((f for f in ours[1:] if f.value.date() == day and not _is_bare_day(f.value)), None)
        if timed is not None:  # it takes the bare day's place, and so its trust
            out.remove(timed)
            out.insert(out.index(ours[0]), _Found(field, timed.value, timed.source, max(timed.layer, ours[0].layer)))
    return out


# Every match starts with a label (see _labelled_relative); the label is read from its first letter.
_LABELLED_RELATIVE = re.compile(
    r"(?:updated|aktualisiert|published|posted|veröffentlicht|publié)\s*[:\uff1a]?\s*"
    r"(?P<rel>(?:\d+|an?|one)\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago"
    r"|vor\s+(?:\d+|einer?|einem)\s+(?:minuten?|stunden?|tag(?:en)?|wochen?|monat(?:en)?)"
    r"|il y a\s+(?:\d+|une?)\s+(?:minutes?|heures?|jours?|semaines?|mois))",
    re.I,
)
