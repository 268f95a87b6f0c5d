"""Layer 3: a site profile file adds a site's template knowledge without a code change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from filmscrape.extract import extract
from filmscrape.extract.candidates import Context, Layer
from filmscrape.extract.document import parse_document
from filmscrape.extract.profile_fields import compile_selector, profile_candidates, selected_texts
from filmscrape.sites import load_profiles

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PAGE = FIXTURES / "pages" / "profile_scope_film.html"
PROFILE = FIXTURES / "profiles" / "profile_scope.toml"
URL = "https://www.scope.example/film/perfect-days"


@pytest.fixture
def sites_dir(tmp_path: Path) -> Path:
    """A profile directory holding the Scope profile file, as a user would add one."""
    shutil.copy(PROFILE, tmp_path / "scope.toml")
    return tmp_path


def test_without_a_profile_the_bare_badge_number_is_not_a_score(tmp_path: Path) -> None:
    record = extract(PAGE.read_bytes(), URL, profiles=load_profiles([tmp_path]))
    assert record["score"] is None
    assert record["provenance"]["runtime_minutes"] == "text:runtime"  # the generic layers still read "2h 4m"


def test_adding_a_profile_file_changes_extraction(sites_dir: Path) -> None:
    record = extract(PAGE.read_bytes(), URL, profiles=load_profiles([sites_dir]))
    assert record["score"] == {"value": 81, "scale": 100, "source": "scope"}
    assert record["runtime_minutes"] == 124
    assert record["year"] == 2023
    assert record["provenance"]["score"] == "site:scope:.sc-badge .sc-badge__n"
    assert record["provenance"]["runtime_minutes"] == "site:scope:.film-head__meta .len"


def test_xpath_selectors_work_beside_css(sites_dir: Path) -> None:
    record = extract(PAGE.read_bytes(), URL, profiles=load_profiles([sites_dir]))
    assert record["provenance"]["year"] == "site:scope:" + "//div[@class='film-head__meta']/span[@class='yr']"


def test_structured_data_outranks_the_profile(sites_dir: Path) -> None:
    record = extract(PAGE.read_bytes(), URL, profiles=load_profiles([sites_dir]))
    assert record["directors"] == ["Wim Wenders"]
    assert record["provenance"]["directors"].startswith("json-ld:")


def test_profile_candidates_carry_layer_and_selector(sites_dir: Path) -> None:
    profile = load_profiles([sites_dir]).for_url(URL)
    assert profile is not None
    doc = parse_document(PAGE.read_bytes(), URL)
    found = {c.field: c for c in profile_candidates(Context(doc, URL, None, profile))}
    assert found["directors"].value == ["Wim Wenders"]
    assert found["directors"].layer is Layer.PROFILE
    assert found["directors"].source == "site:scope:ul.crew li[data-role=director] a"


def test_a_selector_that_does_not_compile_is_skipped_not_raised(sites_dir: Path,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    compile_selector.cache_clear()
    profile = load_profiles([sites_dir]).for_url(URL)
    assert profile is not None
    doc = parse_document(PAGE.read_bytes(), URL)
    assert "genres" not in {c.field for c in profile_candidates(Context(doc, URL, None, profile))}
    assert selected_texts(doc.root, "this is not a selector (((") == []
    assert "does not compile" in caplog.text


def test_a_profile_applies_only_to_its_domain(sites_dir: Path) -> None:
    record = extract(PAGE.read_bytes(), "https://other.example/film/perfect-days", profiles=load_profiles([sites_dir]))
    assert record["score"] is None
