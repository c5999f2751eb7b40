"""The command line: thin commands over the library (protestwatch.run, .store, .export)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from protestwatch.cli.base import DbOption, app, console, errors, open_db, or_exit
from protestwatch.coder import coder_version
from protestwatch.errors import ProtestwatchError

FamilyOption = Annotated[str | None, typer.Option(
    "--family", help="Only events of this family: protest, repression or political_violence.")]


def _family(value: str | None) -> str | None:
    from protestwatch.schema.taxonomy import FAMILIES

    if value is not None and value not in FAMILIES:
        raise typer.BadParameter(f"unknown family {value!r}; choose one of: {', '.join(FAMILIES)}",
                                 param_hint="--family")
    return value


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date of the form YYYY-MM-DD") from None


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders (searched recursively).")],
    db: DbOption = "events.db",
    published: Annotated[str | None, typer.Option(help="Article date (YYYY-MM-DD) for documents that carry none.")] = None,
    workers: Annotated[int, typer.Option(help="Extract in N local worker processes (Dask LocalCluster).")] = 1,
    scheduler: Annotated[str | None, typer.Option(help="Extract on an existing Dask cluster, e.g. tcp://host:8786.")] = None,
    reprocess: Annotated[bool, typer.Option(help="Code again documents that are already stored.")] = False,
    log: Annotated[Path, typer.Option(help="Where library warnings go (created only when there is one).")] = Path(
        "protestwatch.log"),
) -> None:
    """Ingest reports, extract events with their evidence, merge them and store them.

    Example: protestwatch run examples --db events.db
    """
    from protestwatch.run import route_warnings_to, run_pipeline

    route_warnings_to(log)
    default_date = _parse_date(published)
    engine = open_db(db)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=errors, transient=False) as progress:
        task = progress.add_task("reading reports", total=None)
        summary = or_exit(lambda: run_pipeline(
            paths, engine, published=default_date,
            on_start=lambda total: progress.update(task, total=total),
            on_file=lambda _path: progress.advance(task),
            on_failure=lambda path, reason: progress.console.print(f"[red]error:[/red] {path}: {reason}"),
            workers=workers, scheduler=scheduler, reprocess=reprocess,
        ))
        progress.update(task, description="done")
    failed = len(summary.failures)
    console.print(
        f"{summary.files} files, {summary.documents_new} new documents "
        f"({summary.documents_known} already stored), {summary.mentions} mentions, "
        f"{summary.events} events in {db}; {failed} failed"
    )
    for language, count in sorted(summary.not_coded.items()):
        console.print(f"not coded: language {language} ({count} documents stored; no language pack reads it)")
    if failed:
        raise typer.Exit(1)


@app.command()
def runs(db: DbOption = "events.db",
         limit: Annotated[int, typer.Option(help="Show at most this many runs, newest first.")] = 20) -> None:
    """The runs recorded in the database: when, what they stored (new documents, documents already stored),
    and whether they finished; a run whose process is gone (killed, machine restarted) is interrupted.

    Example: protestwatch runs --db events.db
    """
    from protestwatch.store import repository

    engine = open_db(db)
    repository.close_interrupted_runs(engine)
    table = Table(title=f"runs in {db}")
    for column in ("id", "started", "finished", "status", "new", "known", "failed", "events"):
        table.add_column(column, no_wrap=column in ("started", "status"))
    for run in repository.list_runs(engine, limit):
        ended = run.finished_at and run.finished_at.strftime(
            "%H:%M" if run.finished_at.date() == run.started_at.date() else "%Y-%m-%d %H:%M")
        table.add_row(*map(str, (run.id, f"{run.started_at:%Y-%m-%d %H:%M}", ended or "-", run.status,
                                 run.documents_new, run.documents_known, run.failures, run.events)))
    console.print(table)


@app.command()
def events(
    db: DbOption = "events.db",
    limit: Annotated[int, typer.Option(help="Show at most this many events.")] = 50,
    event_type: Annotated[str | None, typer.Option("--type", help="Only events of this type.")] = None,
    family: FamilyOption = None,
    language: Annotated[str | None, typer.Option(help="Only events with a report in this language (en, ru).")] = None,
) -> None:
    """A readable table of the stored events.

    Example: protestwatch events --db events.db --type protest --language ru
    """
    from protestwatch.review.query import EventFilter, iter_events

    engine = open_db(db)
    rows = []
    for record in iter_events(engine, EventFilter(type=event_type, family=_family(family), language=language)):
        people = " / ".join(f"{name} {_count_text(record[name])}"
                            for name in ("participants", "detained", "targeted", "fatalities") if record.get(name))
        place = record["location"]["name"] or ""
        if record["location"]["country"]:
            place = f"{place} ({record['location']['country']})" if place else record["location"]["country"]
        rows.append((record["id"], record["type"], _date_text(record["date"]), place, people,
                     ", ".join(record["state_response"]), str(len({s["document"] for s in record["sources"]})),
                     f"{record['confidence']:.2f}", record["review"]["status"]))
        if len(rows) >= limit:
            break
    columns = ("id", "type", "date", "place", "people", "response", "sources", "conf.", "review")
    if console.width >= 140:
        table = Table(title=f"events in {db}")
        for column in columns:
            table.add_column(column, no_wrap=column in ("id", "date"), overflow="fold")
        for row in rows:
            table.add_row(*row)
        console.print(table)
    else:  # a narrow terminal: one event per line reads better than a squeezed table
        for row in rows:
            console.print(f"[bold]{row[0]}[/bold] {row[1]} {row[2]} {row[3]}"
                          + (f" · {row[4]}" if row[4] else "") + (f" · {row[5]}" if row[5] else "")
                          + f" · sources {row[6]} · conf. {row[7]} · {row[8]}", highlight=False)
    console.print(f"{len(rows)} events shown", style="dim")


@app.command()
def show(
    event_id: Annotated[str, typer.Argument(help="An event id, as listed by `protestwatch events`.")],
    db: DbOption = "events.db",
    table: Annotated[bool, typer.Option("--table", help="The event as JSON without its evidence, then the "
                                                        "evidence as a table.")] = False,
) -> None:
    """One event in full as one JSON document, with each field's evidence (key `evidence`) quoted from
    its source; `--table` shows the evidence as a table for reading.

    Example: protestwatch show ev_0123456789abcdef --db events.db | jq .evidence
    """
    from protestwatch.errors import NotFound
    from protestwatch.review.corrections import reviewed_record

    engine = open_db(db)
    try:
        record = reviewed_record(engine, event_id)
    except NotFound:
        errors.print(f"[red]error:[/red] no event {event_id} in {db}")
        raise typer.Exit(1) from None
    if not table:
        # plain JSON on standard output, nothing else, so that it can be piped
        sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        return
    evidence = record.pop("evidence")
    console.print_json(json.dumps(record, ensure_ascii=False))
    rows = Table(title="evidence")
    for column in ("field", "document", "offsets", "text"):
        rows.add_column(column, overflow="fold")
    for item in evidence:
        rows.add_row(item["field"], item["document"], f"{item['start']}-{item['end']}", item["text"])
    console.print(rows)


@app.command()
def export(
    db: DbOption = "events.db",
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv (ACLED columns), geojson or parquet.")] = "jsonl",
    output: Annotated[str, typer.Option("-o", "--output", help="Output file, or - for standard output.")] = "-",
    family: FamilyOption = None,
) -> None:
    """Export the stored events, with reviewers' corrections and review status applied.

    Example: protestwatch export --db events.db --format csv -o events.csv --family political_violence
    """
    from protestwatch.export import FORMATS, write_file, write_records
    from protestwatch.review.query import EventFilter, iter_events

    if fmt not in FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}", param_hint="--format")
    where = EventFilter(family=_family(family))
    engine = open_db(db)
    try:
        if output == "-":
            write_records(iter_events(engine, where), fmt, sys.stdout)
        else:
            count = write_file(iter_events(engine, where), fmt, output)
            errors.print(f"{count} events written to {output}")
    except ProtestwatchError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


@app.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="A gold file: ACLED CSV, GLOCON .jsonl, CASE Task 2 snippets, or "
                                         "articles (.jsonl) whose hand-coded events are in --gold-events.")],
    fmt: Annotated[str | None, typer.Option("--format", help="acled, glocon-doc, glocon-sentence, case-task2 or "
                                            "events (detected when left out).")] = None,
    gold_events: Annotated[Path | None, typer.Option(
        "--gold", help="events: the gold events, one a line linked by 'doc' (default: gold.jsonl beside the "
                       "articles).")] = None,
    split: Annotated[str, typer.Option(help="events: all articles, the tuning part, or the held-aside fifth "
                                            "(tune, held; fixed seed).")] = "all",
    report: Annotated[Path | None, typer.Option(help="Also write an HTML report here.")] = None,
    limit: Annotated[int | None, typer.Option(help="Score only the first N gold items.")] = None,
) -> None:
    """Run the pipeline on gold texts and score it, field by field (events: event by event).

    Example: protestwatch eval ../shared/eval/dev/acled_global_2020.csv --report acled.html
             protestwatch eval ../shared/eval/dev/articles/en/articles.jsonl --format events --report en.html
    """
    from protestwatch.eval import evaluate as run_evaluation
    from protestwatch.eval.report import html_report, print_result

    for path in (gold, gold_events):
        if path is not None and not path.is_file():
            raise typer.BadParameter(f"{path}: no such file")
    try:
        result = run_evaluation(gold, fmt, limit, gold_events=gold_events, split=split)
    except ProtestwatchError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    print_result(result, console)
    if report is not None:
        report.write_text(html_report(result, str(gold)), encoding="utf-8")
        errors.print(f"report written to {report}")


@app.command()
def train(
    dev: Annotated[Path, typer.Option(help="Folder with the dev gold files.")] = Path("../shared/eval/dev"),
    output: Annotated[Path, typer.Option("-o", "--output", help=(
        "Where to write the relevance model; never over the shipped models unless you name them."))] = (
        Path("trained-models") / "relevance.json"),
    subtype_output: Annotated[Path | None, typer.Option(
        help="Where to write the sub-event type model (default: subtype.json beside --output).")] = None,
) -> None:
    """Train the relevance classifier and the ACLED sub-event type model on the dev data (needs the
    `train` extra: scikit-learn). Deterministic: the same data gives the same files byte for byte.

    Example: protestwatch train --dev ../shared/eval/dev
    """
    from protestwatch.train import train as train_model

    try:
        result = train_model(dev, output, subtype_output)
    except (FileNotFoundError, ImportError) as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    errors.print(f"relevance model: trained on {result['examples']} texts; gate threshold {result['threshold']}; "
                 f"written to {output}")
    if result["subtype_examples"]:
        errors.print(f"sub-event type model: trained on {result['subtype_examples']} ACLED rows; written to "
                     f"{subtype_output or output.with_name('subtype.json')}")
    else:
        errors.print("sub-event type model: no ACLED rows with sub-event types in the dev data; not trained")
    errors.print("the coder uses the models in src/protestwatch/learn/models/: copy these there to ship them "
                 "(the coder version changes with them)")


@app.command()
def corpus(
    size: Annotated[int, typer.Argument(help="How many documents.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The .jsonl file to write.")] = Path("corpus.jsonl"),
    dev: Annotated[Path | None, typer.Option(help="Dev data folder with GLOCON/ACLED files to draw real text from.")] = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same corpus.")] = 7,
) -> None:
    """Write a test corpus for benchmarks: real articles, protest reports, syndicated copies.

    Example: protestwatch corpus 10000 -o corpus.jsonl --dev ../shared/eval/dev
    """
    from protestwatch.eval.corpus import write_corpus

    examples = [Path(__file__).resolve().parents[2] / "examples"]
    count = write_corpus(output, size, dev, examples, seed)
    errors.print(f"{count} documents written to {output}")


@app.command()
def version() -> None:
    """Print the coder version that is recorded in every event."""
    console.print(coder_version())


def _date_text(value: dict) -> str:
    if value["start"]:
        if value["start"] == value["end"]:
            return value["start"]
        return f"{value['start']}..{value['end']}"
    if value["month"]:
        return f"????-{value['month']:02d}" + (f"-{value['day']:02d}" if value["day"] else "")
    return ""


def _count_text(value: dict | None) -> str:
    if not value:
        return ""
    low, high = value["min"], value["max"]
    if low == high and low is not None:
        return str(low)
    return f"{'' if low is None else low}..{'' if high is None else high}"


# the review server and its reviewers: their commands live beside this module, and register on `app`
from protestwatch.cli import review as _review  # noqa: E402, F401


def main() -> None:
    app()
