"""The evaluation as a terminal table and as an HTML page (tables, the confusion matrix as an SVG
picture, and the worst errors with their text). All text is escaped: gold texts are untrusted."""

from __future__ import annotations

from html import escape

from rich.console import Console
from rich.table import Table

from protestwatch.eval.score import EvalResult


def _value(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def print_result(result: EvalResult, console: Console) -> None:
    headline = Table(title=result.title)
    headline.add_column("measure")
    headline.add_column("value", justify="right")
    for name, value in result.headline.items():
        headline.add_row(name, _value(value))
    console.print(headline)
    classes = Table(title="per class")
    for column in ("class", "precision", "recall", "F1", "support"):
        classes.add_column(column, justify="right" if column != "class" else "left")
    for score in result.classes:
        classes.add_row(score.label, _value(score.precision), _value(score.recall), _value(score.f1), str(score.support))
    console.print(classes)


def confusion_svg(labels: list[str], matrix: list[list[int]], cell: int = 46) -> str:
    """Rows: gold; columns: predicted. Darker = more items."""
    margin = 210
    size = margin + cell * len(labels)
    peak = max((max(row) for row in matrix), default=0) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{size + 10}" height="{size + 10}" '
             f'role="img" aria-label="confusion matrix" font-family="sans-serif" font-size="11">']
    for i, label in enumerate(labels):
        y = margin + i * cell + cell / 2
        parts.append(f'<text x="{margin - 6}" y="{y + 4}" text-anchor="end">{escape(label)}</text>')
        x = margin + i * cell + cell / 2
        parts.append(f'<text x="{x}" y="{margin - 6}" text-anchor="start" transform="rotate(-50 {x} {margin - 6})">'
                     f"{escape(label)}</text>")
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            shade = int(255 - 200 * count / peak)
            fill = f"rgb({shade},{shade},255)" if i != j else f"rgb({shade},255,{shade})"
            x, y = margin + j * cell, margin + i * cell
            parts.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" stroke="#999"/>')
            parts.append(f'<text x="{x + cell / 2}" y="{y + cell / 2 + 4}" text-anchor="middle">{count}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _gold_line(event: dict) -> str:
    counts = []
    for key, label in (("participants", "crowd"), ("detained", "detained")):
        low, high = event.get(f"{key}_min"), event.get(f"{key}_max")
        if low is not None or high is not None:
            counts.append(f"{label} {low if low is not None else '?'}..{high if high is not None else '?'}")
    return " · ".join(str(part) for part in (event["type"], event.get("date") or "no date",
                                              event.get("place") or f"({event.get('country') or '?'})", *counts))


def _predicted_line(event: dict) -> str:
    date, location = event.get("date") or {}, event.get("location") or {}
    when = date.get("start") or (f"--{date['month']:02d}-{date['day']:02d}" if date.get("month") and date.get("day")
                                 else "no date")
    counts = [f"{label} {c['min'] if c['min'] is not None else '?'}..{c['max'] if c['max'] is not None else '?'}"
              for key, label in (("participants", "crowd"), ("detained", "detained")) if (c := event.get(key))]
    where = location.get("name") or f"({location.get('country') or '?'})"
    return " · ".join((event["type"], f"{when} ({date.get('precision') or '-'})", where, *counts))


def _article_html(view) -> str:
    """One article: its text, its gold events (found ones linked to the predicted event that found them),
    and its predicted events (those that found nothing with the reason)."""
    matched = {pi: gi for gi, pi in view.pairs.items()}
    gold_rows = "".join(
        f'<li class="{"found" if gi in view.pairs else "missed"}">G{gi + 1} {escape(_gold_line(g))}'
        f'{f" → P{view.pairs[gi] + 1}" if gi in view.pairs else " <b>missed</b>"}'
        f'<br><q>{escape(g.get("quote") or "")}</q></li>' for gi, g in enumerate(view.gold))
    predicted_rows = "".join(
        f'<li class="{"found" if pi in matched else "invented"}">P{pi + 1} {escape(_predicted_line(p))}'
        f'{f" = G{matched[pi] + 1}" if pi in matched else " <b>" + escape(view.notes.get(pi, "")) + "</b>"}</li>'
        for pi, p in enumerate(view.predicted))
    return (f'<section class="article" id="{escape(view.id)}"><h3>{escape(view.id)} {escape(view.title)}</h3>'
            f'<div class="cols"><div class="text">{escape(view.text)}</div><div><h4>gold</h4><ol>{gold_rows}</ol>'
            f'<h4>predicted</h4><ol>{predicted_rows}</ol></div></div></section>')


def html_report(result: EvalResult, source: str) -> str:
    headline = "".join(f"<tr><td>{escape(k)}</td><td>{escape(_value(v))}</td></tr>" for k, v in result.headline.items())
    classes = "".join(
        f"<tr><td>{escape(s.label)}</td><td>{s.precision:.3f}</td><td>{s.recall:.3f}</td><td>{s.f1:.3f}</td>"
        f"<td>{s.support}</td></tr>" for s in result.classes
    )
    errors = "".join(
        f"<tr><td>{escape(e.id)}</td><td>{escape(e.gold)}</td><td>{escape(e.predicted)}</td><td>{escape(e.note)}</td>"
        f"<td>{escape(e.text[:1200])}</td></tr>" for e in result.errors
    )
    articles = ""
    if result.articles:
        articles = ("<h2>Articles</h2><p>Each article beside its gold and predicted events: green found, red missed "
                    "or invented (with the reason).</p>" + "".join(_article_html(v) for v in result.articles))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>protestwatch evaluation: {escape(result.title)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1200px}}table{{border-collapse:collapse;margin:1em 0}}
td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top}}td:last-child{{font-size:90%}}
.cols{{display:grid;grid-template-columns:1fr 1fr;gap:1em}}.text{{white-space:pre-wrap;font-size:90%}}
.found{{color:#161}}.missed,.invented{{color:#a11}}q{{color:#555;font-size:85%}}</style></head>
<body><h1>{escape(result.title)}</h1><p>Gold file: {escape(source)}</p>
<h2>Scores</h2><table><tr><th>measure</th><th>value</th></tr>{headline}</table>
<h2>Per class</h2><table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>{classes}</table>
<h2>Confusion matrix</h2><p>Rows are gold, columns predicted.</p>{confusion_svg(result.labels, result.matrix)}
<h2>Errors</h2><p>Items the coder got wrong, with their text, so that one can see why.</p>
<table><tr><th>id</th><th>gold</th><th>predicted</th><th>note</th><th>text</th></tr>{errors}</table>
{articles}</body></html>
"""
