"""An order-independent checksum of a table's rows, to prove a rewrite kept exactly the same rows."""

from __future__ import annotations

import hashlib
import json

import pyarrow as pa

_MODULUS = 1 << 256


def rows_checksum(table: pa.Table) -> str:
    """Hex digest that depends on every value of every row and on the row multiset, not on row order."""
    total = 0
    for batch in table.to_batches(max_chunksize=10_000):
        for row in batch.to_pylist():
            line = json.dumps(row, sort_keys=True, default=str, ensure_ascii=False).encode()
            total = (total + int.from_bytes(hashlib.sha256(line).digest(), "big")) % _MODULUS
    return f"{total:064x}-{table.num_rows}"
