"""The compiled C walk (``_treewalk.pyx``, built at install) when it is there, else None: pure Python then."""

from __future__ import annotations

from types import ModuleType

treewalk: ModuleType | None
try:
    from filmscrape.extract import _treewalk as treewalk  # type: ignore[attr-defined,no-redef]
except ImportError:  # pragma: no cover - an install without a C compiler
    treewalk = None
