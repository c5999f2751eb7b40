"""CSV with ACLED's column names where a column has an ACLED equivalent, then protestwatch's own
columns (prefixed `pw_`). ACLED columns with no equivalent here (inter codes, admin2/3) are present and
left empty rather than guessed; `fatalities` holds the lowest number of dead the reports state (ACLED's
rule for a range) and is empty when none states one."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

import pycountry

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
OWN_COLUMNS = [
    "pw_id", "pw_type", "pw_date_precision", "pw_month", "pw_day", "pw_cameo", "pw_plover_event", "pw_plover_mode",
    "pw_family", "pw_participants_min", "pw_participants_max", "pw_detained_min", "pw_detained_max",
    "pw_fatalities_max", "pw_means", "pw_demands",
    "pw_state_response", "pw_related", "pw_documents", "pw_confidence", "pw_coder", "pw_review_status",
    "pw_corrected",
]
_TIME_PRECISION = {"day": 1, "week": 2, "month-day": 1, "month": 3, "year": 3}
_GEO_PRECISION = {"city": 1, "admin1": 2, "country": 3}
_DISORDER = {
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
    "Violence against civilians": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Battles": "Political violence",
}
_PROTEST_SIDE = {"protest": "Protesters", "riot": "Rioters"}


def _country(code: str | None) -> tuple[str, str]:
    if not code:
        return "", ""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code, ""
    return getattr(country, "common_name", None) or country.name, str(int(country.numeric))


def _names(record: dict, roles: set[str]) -> list[str]:
    return [a["name"] for a in record["actors"] if a["role"] in roles]


def acled_row(record: dict) -> dict[str, object]:
    country_name, numeric = _country(record["location"]["country"])
    side = _PROTEST_SIDE.get(record["type"])
    perpetrators = _names(record, {"perpetrator"})
    if side:
        actor1 = f"{side} ({country_name})" if country_name else side
        assoc1 = _names(record, {"organizer", "participant"})
        actor2 = perpetrators[0] if perpetrators else ""
        assoc2 = perpetrators[1:]
    else:
        actor1 = perpetrators[0] if perpetrators else ""
        assoc1 = perpetrators[1:]
        targets = _names(record, {"target"})
        actor2 = targets[0] if targets else ""
        assoc2 = targets[1:]
    date = record["date"]
    sub = record["acled"]["sub_event_type"]
    participants = record["participants"]
    return {
        "event_id_cnty": record["id"],
        "event_date": date["start"] or "",
        "year": date["year"] or "",
        "time_precision": _TIME_PRECISION.get(date["precision"], ""),
        "disorder_type": "Political violence; Demonstrations" if sub == "Excessive force against protesters"
        else _DISORDER.get(record["acled"]["event_type"], ""),
        "event_type": record["acled"]["event_type"],
        "sub_event_type": sub,
        "actor1": actor1,
        "assoc_actor_1": "; ".join(assoc1),
        "actor2": actor2,
        "assoc_actor_2": "; ".join(assoc2),
        "iso": numeric,
        "country": country_name,
        "admin1": record["location"]["admin1"] or "",
        "location": record["location"]["name"] or "",
        "latitude": record["location"]["lat"] if record["location"]["lat"] is not None else "",
        "longitude": record["location"]["lon"] if record["location"]["lon"] is not None else "",
        "geo_precision": _GEO_PRECISION.get(record["location"]["precision"], ""),
        "source": "; ".join(sorted({s["outlet"] for s in record["sources"] if s["outlet"]})),
        "notes": " ".join(dict.fromkeys(s["sentence"].strip() for s in record["sources"]))[:2000],
        "fatalities": _lowest(record.get("fatalities")),
        "tags": f"crowd size={participants['text']}" if participants and participants["text"] else "",
        "pw_id": record["id"],
        "pw_type": record["type"],
        "pw_date_precision": date["precision"] or "",
        "pw_month": date.get("month") or "",
        "pw_day": date.get("day") or "",
        "pw_cameo": record["cameo"],
        "pw_plover_event": record["plover"]["event"],
        "pw_plover_mode": record["plover"]["mode"] or "",
        "pw_family": record.get("family", ""),
        "pw_participants_min": _bound(participants, "min"),
        "pw_participants_max": _bound(participants, "max"),
        "pw_detained_min": _bound(record["detained"], "min"),
        "pw_detained_max": _bound(record["detained"], "max"),
        "pw_fatalities_max": _bound(record.get("fatalities"), "max"),
        "pw_means": "; ".join(record.get("means", ())),
        "pw_demands": "; ".join(dict.fromkeys(d["category"] for d in record["demands"])),
        "pw_state_response": "; ".join(record["state_response"]),
        "pw_related": "; ".join(record["related"]),
        "pw_documents": "; ".join(dict.fromkeys(s["document"] for s in record["sources"])),
        "pw_confidence": record["confidence"],
        "pw_coder": record["coder"],
        "pw_review_status": record.get("review", {}).get("status", ""),
        "pw_corrected": "; ".join(record.get("review", {}).get("corrected", [])),
    }


def _lowest(count: dict | None) -> object:
    """ACLED's fatalities: the lowest stated number ('at least 12' is 12; 'up to 12' is 12 too, the only one)."""
    if count is None:
        return ""
    return count["min"] if count["min"] is not None else _bound(count, "max")


def _bound(count: dict | None, key: str) -> object:
    return "" if count is None or count[key] is None else count[key]


def csv_chunks(records: Iterable[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ACLED_COLUMNS + OWN_COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow(acled_row(record))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
