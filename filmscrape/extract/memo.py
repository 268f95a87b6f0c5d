"""Empties the extraction layers' memo caches: bounded string results they remember across pages."""

from __future__ import annotations

import sys


def clear_memos() -> int:
    """Empty every bounded memo (``functools.lru_cache`` of more than one entry) of the loaded extraction
    modules, and return how many there were.

    The memos hold results of pure string functions (class/id verdicts, folded titles, label lookups) that a
    crawl meets again on every page of a site; one-entry caches hold configuration and are kept. Benchmarks
    clear them to time each page as a crawl meets the first page of a new site; a long-running process may
    clear them to give the memory back.
    """
    cleared = 0
    for name, module in list(sys.modules.items()):
        if not name.startswith("filmscrape.extract.") or module is None:
            continue
        for value in list(vars(module).values()):
            info = getattr(value, "cache_info", None)
            if callable(info) and callable(getattr(value, "cache_clear", None)) and (info().maxsize or 2) > 1:
                value.cache_clear()
                cleared += 1
    return cleared
