"""What every command shares: the app, its consoles, the database option, one-line exits."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from protestwatch.errors import ProtestwatchError

app = typer.Typer(
    help="protestwatch: news reports about protests and repression in, evidence-linked events out.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True)

DbOption = Annotated[str, typer.Option("--db", help="SQLite file path or SQLAlchemy URL.")]


def or_exit(action):
    """`action()`; an error a user can act on (a database unopenable or locked) is one line and exit 2."""
    try:
        return action()
    except ProtestwatchError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


def open_db(db: str):
    from protestwatch.store import open_store

    return or_exit(lambda: open_store(db))
