"""Export and import: the whole journal as one JSON document, or one CSV per table.

``import_json(db, export_json(other))`` into an empty journal reproduces ``other`` exactly
(ids included); every imported value passes the same checks as a new entry.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .records import (
    JournalError,
    ProfileSnapshot,
    Retest,
    Run,
    Session,
    check_int,
    check_retest,
    check_run,
    check_session,
    check_snapshot,
)
from .store import SCHEMA_VERSION, Journal

FORMAT = "gaitkeeper-journal"
_SECTIONS = ("sessions", "retests", "runs", "profile_snapshots")
_ID_MAX = 2**62


def _session(s: Session) -> dict[str, Any]:
    return {"id": s.id, "date": s.date.isoformat(), "pain": s.pain, "note": s.note,
            "exercises": [{"exercise_id": e.exercise_id, "sets": e.sets, "reps": e.reps,
                           "load_kg": e.load_kg} for e in s.exercises]}


def _retest(r: Retest) -> dict[str, Any]:
    return {"id": r.id, "date": r.date.isoformat(), "squat_left_ok": r.squat_left_ok,
            "squat_right_ok": r.squat_right_ok, "balance_left_s": r.balance_left_s,
            "balance_right_s": r.balance_right_s, "extension_deficit": r.extension_deficit}


def _run(r: Run) -> dict[str, Any]:
    return {"id": r.id, "date": r.date.isoformat(), "km": r.km, "pain_during": r.pain_during,
            "pain_next_morning": r.pain_next_morning}


def _snapshot(s: ProfileSnapshot) -> dict[str, Any]:
    return {"id": s.id, "date": s.date.isoformat(), "profile": dict(s.profile)}


def export_json(db: Journal) -> dict[str, Any]:
    """The whole journal as a JSON-ready dict."""
    rows = db.rows()
    return {"format": FORMAT, "schema_version": SCHEMA_VERSION,
            "sessions": [_session(s) for s in rows.sessions],
            "retests": [_retest(r) for r in rows.retests],
            "runs": [_run(r) for r in rows.runs],
            "profile_snapshots": [_snapshot(s) for s in rows.snapshots]}


def _records(data: Mapping[str, Any], section: str) -> Sequence[Mapping[str, Any]]:
    items = data.get(section, [])
    if not isinstance(items, list):
        raise JournalError(f"expected a list, got {type(items).__name__}", field=section)
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise JournalError(f"expected an object, got {item!r}", field=f"{section}[{i}]")
    return items


def _split(item: Mapping[str, Any], field: str, allowed: tuple[str, ...]
           ) -> tuple[int | None, dict[str, Any]]:
    for key in item:
        if key not in (*allowed, "id"):
            raise JournalError(f"unknown field (allowed: id, {', '.join(allowed)})",
                               field=f"{field}.{key}")
    for key in allowed:
        if key not in item and key not in ("note", "extension_deficit", "pain_next_morning"):
            raise JournalError("is required", field=f"{field}.{key}")
    rid = item.get("id")
    if rid is not None:
        rid = check_int(rid, f"{field}.id", 1, _ID_MAX)
    return rid, {k: item.get(k) for k in allowed}


def import_json(db: Journal, data: Any) -> dict[str, int]:
    """Load an :func:`export_json` document into an empty journal, in one transaction.
    Returns how many entries of each kind were imported."""
    import dataclasses

    if not isinstance(data, Mapping):
        raise JournalError("expected a JSON object", field="(import)")
    if data.get("format") != FORMAT:
        raise JournalError(f"expected {FORMAT!r}, got {data.get('format')!r}", field="format")
    version = check_int(data.get("schema_version"), "schema_version", 1, SCHEMA_VERSION)
    for key in data:
        if key not in ("format", "schema_version", *_SECTIONS):
            raise JournalError(f"unknown field (allowed: format, schema_version, "
                               f"{', '.join(_SECTIONS)})", field=key)
    del version  # every older export is a subset of the current one
    today = db.today()
    sessions = []
    for i, item in enumerate(_records(data, "sessions")):
        f = f"sessions[{i}]"
        rid, v = _split(item, f, ("date", "pain", "note", "exercises"))
        sessions.append(dataclasses.replace(check_session(**v, today=today, field=f), id=rid))
    retests = []
    for i, item in enumerate(_records(data, "retests")):
        f = f"retests[{i}]"
        rid, v = _split(item, f, ("date", "squat_left_ok", "squat_right_ok", "balance_left_s",
                                  "balance_right_s", "extension_deficit"))
        retests.append(dataclasses.replace(check_retest(**v, today=today, field=f), id=rid))
    runs = []
    for i, item in enumerate(_records(data, "runs")):
        f = f"runs[{i}]"
        rid, v = _split(item, f, ("date", "km", "pain_during", "pain_next_morning"))
        runs.append(dataclasses.replace(check_run(**v, today=today, field=f), id=rid))
    snaps = []
    for i, item in enumerate(_records(data, "profile_snapshots")):
        f = f"profile_snapshots[{i}]"
        rid, v = _split(item, f, ("date", "profile"))
        snaps.append(dataclasses.replace(check_snapshot(**v, today=today, field=f), id=rid))
    with db.transaction():
        if not db.is_empty():
            raise JournalError(f"{db.path}: the journal already has entries; import into a "
                               "new journal", path=str(db.path))
        for s in sessions:
            db._insert_session(s)
        for r in retests:
            db._insert_retest(r)
        for r in runs:
            db._insert_run(r)
        for s in snaps:
            db._insert_snapshot(s)
    return {"sessions": len(sessions), "retests": len(retests), "runs": len(runs),
            "profile_snapshots": len(snaps)}


# ------------------------------------------------------------------------------- CSV
def _write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Atomic and spreadsheet-safe, by the project's one CSV writer."""
    import polars as pl

    from ..io.write import write_csv_safe

    frame = pl.DataFrame([list(r) for r in rows], schema={h: pl.String for h in header},
                         orient="row") if rows else pl.DataFrame(schema={h: pl.String for h in header})
    write_csv_safe(frame, path)


def export_csv(db: Journal, folder: str | os.PathLike[str]) -> list[Path]:
    """One CSV per table in ``folder`` (created if missing; its parent must exist). Each file
    is written beside its final name and renamed when complete."""
    import json

    out = Path(folder).expanduser()
    if out.exists() and not out.is_dir():
        raise JournalError(f"{out}: not a folder", field="out")
    if not out.parent.is_dir():
        raise JournalError(f"{out}: the folder {out.parent} does not exist", field="out")
    out.mkdir(exist_ok=True)
    rows = db.rows()
    tables: dict[str, tuple[Sequence[str], list[Sequence[Any]]]] = {
        "sessions": (("id", "date", "pain", "note"),
                     [(s.id, s.date.isoformat(), s.pain, s.note) for s in rows.sessions]),
        "session_exercises": (("session_id", "exercise_id", "sets", "reps", "load_kg"),
                              [(s.id, e.exercise_id, e.sets, e.reps, e.load_kg)
                               for s in rows.sessions for e in s.exercises]),
        "retests": (("id", "date", "squat_left_ok", "squat_right_ok", "balance_left_s",
                     "balance_right_s", "extension_deficit"),
                    [(r.id, r.date.isoformat(), r.squat_left_ok, r.squat_right_ok,
                      r.balance_left_s, r.balance_right_s, r.extension_deficit)
                     for r in rows.retests]),
        "runs": (("id", "date", "km", "pain_during", "pain_next_morning"),
                 [(r.id, r.date.isoformat(), r.km, r.pain_during, r.pain_next_morning)
                  for r in rows.runs]),
        "profile_snapshots": (("id", "date", "profile_json"),
                              [(s.id, s.date.isoformat(),
                                json.dumps(s.profile, ensure_ascii=False, sort_keys=True))
                               for s in rows.snapshots]),
    }
    written = []
    for name, (header, body) in tables.items():
        path = out / f"{name}.csv"
        _write_csv(path, header, body)
        written.append(path)
    return written
