"""The dataset commands are listed by ``filmscrape --help`` and each explains itself with ``--help``."""

from __future__ import annotations

import pytest

from filmscrape.cli import main


@pytest.mark.parametrize(("command", "words"), [
    ("latest", "fetched last"), ("compact", "same row count"), ("validate", "Exits 1"),
])
def test_every_dataset_command_has_help(command: str, words: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert words in " ".join(capsys.readouterr().out.split())


def test_the_dataset_commands_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert all(name in out for name in ("latest", "compact", "validate"))
