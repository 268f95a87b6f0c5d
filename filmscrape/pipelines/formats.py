"""A JSON Schema format checker whose ``date-time`` check really runs (RFC 3339, no optional dependency).

jsonschema only checks ``date-time`` when rfc3339-validator is installed and otherwise passes any string;
this checker does it itself, so a record with ``"published_at": "June 9"`` is rejected.
"""

from __future__ import annotations

import re
from datetime import datetime

from jsonschema import FormatChecker

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def is_rfc3339_datetime(value: object) -> bool:
    """Whether ``value`` is an RFC 3339 date-time with an explicit offset (non-strings pass, as JSON Schema says)."""
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def format_checker() -> FormatChecker:
    """jsonschema's default format checks plus a real ``date-time`` check."""
    checker = FormatChecker()
    checker.checks("date-time")(is_rfc3339_datetime)
    return checker
