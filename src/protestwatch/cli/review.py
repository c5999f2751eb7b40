"""The review side of the command line: the HTTP server and the reviewers whose tokens open it."""

from __future__ import annotations

from typing import Annotated

import typer

from protestwatch.cli.base import DbOption, app, console, errors, open_db, or_exit


@app.command()
def serve(
    db: DbOption = "events.db",
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    private: Annotated[bool, typer.Option(help="Reads need a reviewer's token too.")] = False,
) -> None:
    """Serve the HTTP API (OpenAPI schema at /openapi.json, interactive docs at /docs).

    Example: protestwatch serve --db events.db --port 8000
    """
    import uvicorn

    from protestwatch.review.web.app import create_app

    uvicorn.run(create_app(open_db(db), private=private), host=host, port=port, log_level="info")


user_app = typer.Typer(help="Reviewers: the people whose corrections the audit log names.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The reviewer's name, as the audit log shows it.")],
    db: DbOption = "events.db",
) -> None:
    """Create a reviewer and print their API token (shown once; only its hash is stored).

    Example: protestwatch user add alice --db events.db
    """
    from protestwatch.errors import ReviewError
    from protestwatch.review.corrections import add_user

    try:
        token = add_user(open_db(db), name)
    except ReviewError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    console.print(token)


@user_app.command("list")
def user_list(db: DbOption = "events.db") -> None:
    """The reviewers, when each was added, and whether their token still works."""
    from protestwatch.review.corrections import list_users

    for name, added, active in list_users(open_db(db)):
        console.print(f"{name}\t{added:%Y-%m-%d}\t{'active' if active else 'revoked'}")


@user_app.command("revoke")
def user_revoke(name: Annotated[str, typer.Argument(help="The reviewer whose token stops working.")],
                db: DbOption = "events.db") -> None:
    """Stop a reviewer's token from working; their corrections and name stay in the audit log."""
    from protestwatch.review.corrections import revoke_user

    or_exit(lambda: revoke_user(open_db(db), name))
    console.print(f"{name}: token revoked")
