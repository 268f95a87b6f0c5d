"""The kept stage: last of the shipped pipelines, so a page is remembered only after its record is written."""

from __future__ import annotations

import json

from scrapy.settings import Settings
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import load_object

from filmscrape.pipelines.kept import KeptPipeline
from filmscrape.pipelines.parquet import ParquetPipeline


def shipped() -> Settings:
    settings = Settings()
    settings.setmodule("filmscrape.settings", priority="project")
    return settings


def test_the_shipped_pipelines_end_with_the_kept_stage_after_parquet() -> None:
    order = [load_object(path) for path in build_component_list(shipped().getwithbase("ITEM_PIPELINES"))]
    assert order[-1] is KeptPipeline
    assert order.index(ParquetPipeline) < order.index(KeptPipeline)


def test_the_kept_stage_counts_as_enabled_only_when_the_pipelines_list_it() -> None:
    settings = shipped()
    assert KeptPipeline.enabled(settings)
    settings.set("ITEM_PIPELINES", json.dumps({"filmscrape.pipelines.parquet.ParquetPipeline": 800}), "cmdline")
    assert not KeptPipeline.enabled(settings)
    settings.set("ITEM_PIPELINES", {"filmscrape.pipelines.kept.KeptPipeline": None,
                                    "filmscrape.pipelines.parquet.ParquetPipeline": 800}, "cmdline")
    assert not KeptPipeline.enabled(settings)
