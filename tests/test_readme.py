"""The README's commands are run as written, so that the docs cannot drift from the code: the first
line's job on the bundled examples, and the "Using it" session on the shared examples, whose printed
summary and event id must be what the README shows."""

import re
import shlex
from pathlib import Path

from typer.testing import CliRunner

from protestwatch.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"
runner = CliRunner()


def _invoke(line: str, replace: dict[str, str]):
    words = shlex.split(line.split("#", 1)[0], posix=True)
    assert words[0] == "protestwatch", line
    args = [replace.get(w, w) for w in words[1:]]
    return runner.invoke(app, args, catch_exceptions=False)


def _session(text: str) -> list[tuple[str, list[str]]]:
    """The README's console block: (command, the lines it is shown to print)."""
    block = re.search(r"## Using it\s+```console\n(.*?)```", text, re.S).group(1)
    session: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            session.append((line[2:], []))
        elif session and line.strip():
            session[-1][1].append(line.strip())
    return session


def test_the_first_line_runs_on_the_bundled_examples(tmp_path, monkeypatch):
    first = README.read_text(encoding="utf-8").split("```", 2)[1].strip().splitlines()[0]
    commands = [c.strip() for c in first.split("&&") if c.strip().startswith("protestwatch")]
    assert [c.split()[1] for c in commands] == ["run", "events"]
    monkeypatch.chdir(tmp_path)
    examples = str(README.parent / "examples")
    for command in commands:
        result = _invoke(command, {"examples": examples})
        assert result.exit_code == 0, result.output
    assert "events in events.db" in _invoke(commands[0], {"examples": examples}).output  # a rerun stores nothing new


def test_the_using_it_session_prints_what_the_readme_shows(tmp_path, monkeypatch, shared_examples):
    monkeypatch.chdir(tmp_path)
    session = _session(README.read_text(encoding="utf-8"))
    assert [command.split()[1] for command, _ in session] == ["run", "events", "show", "export"]
    for command, shown in session:
        result = _invoke(command, {"../shared/examples": str(shared_examples)})
        assert result.exit_code == 0, (command, result.output)
        printed = " ".join(result.output.split())
        for line in shown:
            assert " ".join(line.split()) in printed, (command, line)
    assert Path("events.jsonl").stat().st_size > 0


def test_the_russian_example_prints_what_the_readme_shows(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = README.read_text(encoding="utf-8")
    block = re.search(r"### Reports in Russian.*?```console\n(.*?)```", text, re.S).group(1)
    commands = [line[2:] for line in block.splitlines() if line.startswith("$ ")]
    shown = [line.split() for line in block.splitlines() if line.startswith("ev_")]
    assert len(commands) == 2 and len(shown) == 3
    examples = str(README.parent / "examples")
    for command in commands:
        result = _invoke(command, {"examples": examples})
        assert result.exit_code == 0, result.output
    printed = " ".join(result.output.split())
    for event_id, event_type, day, *_ in shown:
        assert event_id in printed and event_type in printed and day in printed, (event_id, printed)
