"""The compiled C walk (``_treewalk.pyx``, built at install) when it is there, else None: pure Python then."""

from __future__ import annotations

import logging
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from types import ModuleType

logger = logging.getLogger(__name__)

treewalk: ModuleType | None
try:
    from filmscrape.extract import _treewalk as treewalk  # type: ignore[attr-defined,no-redef]
except ImportError as exc:  # an install without a C compiler has no module; a broken build must say so
    treewalk = None
    if any((Path(__file__).parent / f"_treewalk{suffix}").exists() for suffix in EXTENSION_SUFFIXES):
        logger.warning("the compiled line walk does not load (%s); extraction uses the slower Python walk", exc)
