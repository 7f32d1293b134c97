"""The CLI: every command answers --help, and the README documents every command and option."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest
from conftest import ROOT

from kg.cli import COMMANDS, make_parser


def run_kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def test_top_level_help_lists_every_command() -> None:
    result = run_kg("--help")
    assert result.returncode == 0
    for name in COMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help(command: str) -> None:
    result = run_kg(command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: kg " + command)


def test_unknown_command_is_a_usage_error() -> None:
    result = run_kg("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def option_strings(command: str) -> set[str]:
    parser = make_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return {
        opt
        for action in sub.choices[command]._actions
        for opt in action.option_strings
        if opt.startswith("--") and opt != "--help" and action.help != argparse.SUPPRESS  # internal: not for users
    }


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_readme_documents_every_command_and_option(command: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"kg {command}" in readme
    section = readme.split(f"### `kg {command}", 1)[1].split("\n### ", 1)[0]
    missing = sorted(opt for opt in option_strings(command) if opt not in section)
    assert not missing, f"README's kg {command} section does not document {missing}"
