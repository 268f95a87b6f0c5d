"""Benchmark: 200,000 synthetic records through the Parquet pipeline's write path vs one write_table call.

Timing: in one process, the same pre-built rows go (a) through ``ParquetPipeline.process_item`` (journal,
row groups, staged part files, publish) and (b) through ``pa.Table.from_pylist`` + one
``pyarrow.parquet.write_table``, back to back in each of ``--repeats`` repeats (alternating which goes
first); the reported ratio is the median of the per-repeat ratios. Memory: the pipeline path runs again in
a child process per record count, rows generated on the fly (as a crawl produces them), and each child's
own peak RSS (``ru_maxrss`` from ``wait4``) is reported for 1, 50k and 200k records to show it stays flat.

Usage: python benchmarks/parquet_write.py [--records 200000] [--repeats 5]
The last line is one JSON object: over_write_table, peak_rss_mb_50k, peak_rss_mb_200k, records_per_s.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from filmscrape.pipelines.parquet import ParquetPipeline
from filmscrape.pipelines.validate import violations
from filmscrape.record import empty_record
from filmscrape.schema import arrow_schema

SITES = ["screenrant.com", "collider.com", "echo-reviews.net", "filmdb.example", "cinemablend.com"]
WORDS = ["the", "film", "ending", "explained", "director", "scene", "final", "act", "character", "twist", "reveal",
         "story", "audience", "camera", "score", "music", "performance", "sequel", "studio", "release", "critic"]


def synthetic_records(n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """Realistic records: sections with text, lists, a score struct, a provenance map, 3-4 KB of text each."""
    rng = random.Random(seed)
    start = datetime(2026, 11, 1, tzinfo=UTC)

    def text(words: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."

    for i in range(n):
        site = SITES[i % len(SITES)]
        record = empty_record(f"https://{site}/films/{i:07d}-{rng.choice(WORDS)}-{rng.choice(WORDS)}/")
        published = start - timedelta(days=rng.randint(1, 900), minutes=rng.randint(0, 1440))
        sections = [{"heading": text(4), "level": 2, "text": text(rng.randint(40, 120)), "is_spoiler": k == 3}
                    for k in range(rng.randint(3, 6))]
        record.update(
            fetched_url=record["url"], site=site, crawl_id="bench",
            fetched_at=start + timedelta(seconds=i // 50),
            content_sha256=f"{rng.getrandbits(256):064x}", page_kind=rng.choice(["review", "ending_explained"]),
            title=text(8), film_title=text(3), year=rng.randint(1950, 2026), runtime_minutes=rng.randint(80, 200),
            directors=[text(2) for _ in range(rng.randint(1, 2))], genres=rng.sample(["drama", "thriller", "comedy",
                                                                                        "horror", "action"], 2),
            language="en", score={"value": float(rng.randint(10, 100)), "scale": 100.0, "source": "Echo Score"},
            scores=[{"value": float(rng.randint(1, 10)), "scale": 10.0, "source": "IMDb"}],
            authors=[text(2)], summary=text(25), published_at=published,
            updated_at=published + timedelta(days=rng.randint(0, 30)), has_spoilers=True, sections=sections,
            body_text="\n\n".join(s["text"] for s in sections),
            provenance={f: f"json-ld:Movie.{f}" for f in ("title", "year", "runtime_minutes", "directors",
                                                           "genres", "score", "published_at", "updated_at")},
        )
        yield record


def pipeline_write(records: Any, data_dir: Path) -> None:
    pipeline = ParquetPipeline(data_dir, crawl_id="bench")
    pipeline.open_spider()
    for record in records:
        pipeline.process_item(record)
    pipeline.close_spider()


def write_table(records: list[dict[str, Any]], path: Path) -> None:
    pq.write_table(pa.Table.from_pylist(records, schema=arrow_schema()), path, compression="zstd")


def timed(fn: Any, *args: Any) -> float:
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


def child_peak_rss_mb(records: int) -> float:
    """Peak RSS of a child process that streams ``records`` generated records through the pipeline."""
    child = subprocess.Popen([sys.executable, __file__, "--child", str(records)])
    _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage, not the maximum over all children
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"benchmark child for {records} records failed")
    return float(usage.ru_maxrss) / 1024


def run_child(records: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="fs-bench-child-"))
    try:
        pipeline_write(synthetic_records(records), work)
    finally:
        shutil.rmtree(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child)
        return

    small = args.records // 4
    rss_floor = child_peak_rss_mb(1)
    rss_small = child_peak_rss_mb(small)
    rss_full = child_peak_rss_mb(args.records)
    print(f"pipeline peak RSS: 1 record {rss_floor:.0f} MB (interpreter + imports), {small} records "
          f"{rss_small:.0f} MB, {args.records} records {rss_full:.0f} MB", flush=True)

    records = list(synthetic_records(args.records))
    # The rows exist before either writer runs: keep the cyclic GC from re-walking them during the timings.
    gc.collect()
    gc.freeze()
    sample = records[:2000]
    started = time.perf_counter()
    bad = sum(bool(violations(r)) for r in sample)
    per_item_ms = (time.perf_counter() - started) / len(sample) * 1000
    print(f"validation: {per_item_ms:.3f} ms per record ({bad} invalid in the sample)", flush=True)

    ours: list[float] = []
    base: list[float] = []
    for repeat in range(args.repeats):
        work = Path(tempfile.mkdtemp(prefix="fs-bench-"))
        try:
            if repeat % 2:  # alternate which goes first
                ours.append(timed(pipeline_write, records, work / "data"))
                base.append(timed(write_table, records, work / "one.parquet"))
            else:
                base.append(timed(write_table, records, work / "one.parquet"))
                ours.append(timed(pipeline_write, records, work / "data"))
            files = sorted((work / "data" / "dataset").rglob("*.parquet"))
            rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
            assert rows == len(records), (rows, len(records))
            print(f"repeat {repeat + 1}: pipeline {ours[-1]:.2f}s ({len(files)} part files), "
                  f"write_table {base[-1]:.2f}s", flush=True)
        finally:
            shutil.rmtree(work)
    # Paired: each repeat times both writers back to back, so a busy moment on a shared machine hits both.
    ratio = statistics.median(o / b for o, b in zip(ours, base, strict=True))
    rate = len(records) / statistics.median(ours)
    print(f"{len(records)} records: pipeline {statistics.median(ours):.2f}s ({rate:,.0f} records/s), "
          f"write_table {statistics.median(base):.2f}s, median paired ratio {ratio:.2f} (target <= 1.5)")
    print(json.dumps({"over_write_table": round(ratio, 3), "peak_rss_mb_50k": round(rss_small, 1),
                      "peak_rss_mb_200k": round(rss_full, 1), "records_per_s": round(rate)}))


if __name__ == "__main__":
    main()
