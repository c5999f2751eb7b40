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
    workers: Annotated[int, typer.Option(min=1, max=64, help=(
        "Server processes: one per core serves that many requests at once (Python runs one at a time "
        "in a process). The wrong-token limit is shared out among them."))] = 1,
) -> None:
    """Serve the HTTP API (OpenAPI schema at /openapi.json, interactive docs at /docs).

    Example: protestwatch serve --db events.db --port 8000 --workers 2
    """
    import uvicorn

    from protestwatch.review.web import app as web

    engine = open_db(db)  # created or upgraded here, once, before any worker opens it
    if workers == 1:
        uvicorn.run(web.create_app(engine, private=private), host=host, port=port, log_level="info")
        return
    engine.dispose()
    # each worker process builds its own app from what the environment tells it (web.app_from_environment)
    web.settings_to_environment(db, private, workers)
    uvicorn.run(f"{web.__name__}:app_from_environment", factory=True, workers=workers, host=host, port=port,
                log_level="info")


user_app = typer.Typer(help="Reviewers: the people whose corrections the audit log names.", no_args_is_help=True)
app.add_typer(user_app, name="user")


ExpiryOption = Annotated[int | None, typer.Option(
    "--expires-in-days", min=1, help="The token opens nothing after this many days (default: it does not expire).")]


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The reviewer's name, as the audit log shows it.")],
    db: DbOption = "events.db",
    expires_in_days: ExpiryOption = None,
) -> None:
    """Create a reviewer and print their API token (shown once; only its hash is stored).

    Example: protestwatch user add alice --db events.db --expires-in-days 90
    """
    from protestwatch.errors import ReviewError
    from protestwatch.review.users import add_user

    try:
        token = add_user(open_db(db), name, expires_in_days)
    except ReviewError as exc:  # the name is taken: exit 1, as for any refused input
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    console.print(token)


@user_app.command("renew")
def user_renew(name: Annotated[str, typer.Argument(help="The reviewer who gets a new token.")],
               db: DbOption = "events.db", expires_in_days: ExpiryOption = None) -> None:
    """Print a new token for a reviewer whose token expired or was lost; the old one stops working."""
    from protestwatch.review.users import renew_user

    console.print(or_exit(lambda: renew_user(open_db(db), name, expires_in_days)))


@user_app.command("list")
def user_list(db: DbOption = "events.db") -> None:
    """The reviewers: when each was added, whether the token works (active, expired, revoked), its expiry."""
    from protestwatch.review.users import list_users

    for name, added, state, expires in list_users(open_db(db)):
        until = f"\tuntil {expires:%Y-%m-%d %H:%M} UTC" if expires is not None and state != "revoked" else ""
        console.print(f"{name}\t{added:%Y-%m-%d}\t{state}{until}")


@user_app.command("revoke")
def user_revoke(name: Annotated[str, typer.Argument(help="The reviewer whose token stops working.")],
                db: DbOption = "events.db") -> None:
    """Stop a reviewer's token from working; their corrections and name stay in the audit log."""
    from protestwatch.review.users import revoke_user

    or_exit(lambda: revoke_user(open_db(db), name))
    console.print(f"{name}: token revoked")
