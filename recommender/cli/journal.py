"""``gaitkeeper journal init|add|show|export|import|forget --db PATH``: the progress journal
(SPEC §7.5). Nothing is created unless asked (``init``, or ``import --create``).

Exercise ids are any lower-case slug (``[a-z0-9_]+``): the engine's ids (``glute_bridge``,
``monster_walk``, …) are slugs, and a runner may also log work the engine did not prescribe.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from . import EXIT_BAD_INPUT, fail, guarded

journal_app = typer.Typer(name="journal", no_args_is_help=True, add_completion=False,
                          help="A progress journal of strength sessions, re-tests and runs "
                               "(SQLite, on your machine).")
add_app = typer.Typer(name="add", no_args_is_help=True, help="Log an entry.")
journal_app.add_typer(add_app, name="add")

_DB = typer.Option(..., "--db", help="The journal file (SQLite).")


class Format(StrEnum):
    text = "text"
    json = "json"


class PassFail(StrEnum):
    pass_ = "pass"
    fail = "fail"


def named_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Every :class:`~recommender.errors.GaitkeeperError` (a journal's included) → exit 2
    with its message; ``guarded`` around it handles the rest."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..errors import GaitkeeperError

        try:
            return fn(*args, **kwargs)
        except GaitkeeperError as exc:
            from . import _state

            if _state.get("debug"):
                raise
            fail(str(exc))

    return wrapper


def command(group: typer.Typer, name: str) -> Callable[[Callable[..., Any]], Any]:
    def deco(fn: Callable[..., Any]) -> Any:
        return group.command(name)(guarded(named_errors(fn)))

    return deco


def _iso(day: str | None) -> str:
    return day if day is not None else date.today().isoformat()


@command(journal_app, "init")
def init_cmd(db: Path = _DB) -> None:
    """Create a new, empty journal at --db (an existing journal is left as it is)."""
    from ..journal import open_journal

    existed = db.exists()
    with open_journal(db, create=True) as j:
        version = j.schema_version
    typer.echo(f"{'journal already exists' if existed else 'created a journal'}: {db} "
               f"(schema {version})", err=True)


@command(add_app, "session")
def add_session_cmd(
    db: Path = _DB,
    exercise: list[str] = typer.Option(..., "--exercise",
                                       help="ID:SETSxREPS or ID:SETSxREPS@KG, e.g. "
                                            "glute_bridge:3x15 or monster_walk:2x20@5 "
                                            "(repeat for each exercise; ID is any "
                                            "lower-case slug a-z 0-9 _)."),
    pain: int = typer.Option(..., "--pain", help="Knee pain during the session, 0–10."),
    day: str | None = typer.Option(None, "--date", help="YYYY-MM-DD (default: today)."),
    note: str | None = typer.Option(None, "--note", help="A short note."),
) -> None:
    """Log a strength session."""
    from ..journal import open_journal, parse_exercise_spec

    entries = [parse_exercise_spec(e, f"--exercise[{i}]") for i, e in enumerate(exercise)]
    with open_journal(db) as j:
        sid = j.add_session(date=_iso(day), pain=pain, exercises=entries, note=note)
    typer.echo(f"logged session {sid}: {len(entries)} exercise(s), pain {pain}/10", err=True)


@command(add_app, "retest")
def add_retest_cmd(
    db: Path = _DB,
    squat_left: PassFail = typer.Option(..., "--squat-left",
                                        help="5 controlled single-leg squats on the left."),
    squat_right: PassFail = typer.Option(..., "--squat-right"),
    balance_left: float = typer.Option(..., "--balance-left",
                                       help="Seconds of single-leg balance, eyes open."),
    balance_right: float = typer.Option(..., "--balance-right"),
    extension_deficit: str | None = typer.Option(
        None, "--extension-deficit", help="Knee that will not fully straighten: "
                                          "none|left|right|both (default: not tested)."),
    day: str | None = typer.Option(None, "--date", help="YYYY-MM-DD (default: today)."),
) -> None:
    """Log a self-test re-test (single-leg squat and balance, SPEC §3.1)."""
    from ..journal import open_journal

    with open_journal(db) as j:
        rid = j.add_retest(date=_iso(day), squat_left_ok=squat_left is PassFail.pass_,
                           squat_right_ok=squat_right is PassFail.pass_,
                           balance_left_s=balance_left, balance_right_s=balance_right,
                           extension_deficit=extension_deficit)
    typer.echo(f"logged re-test {rid}", err=True)


@command(add_app, "run")
def add_run_cmd(
    db: Path = _DB,
    km: float = typer.Option(..., "--km", help="Distance in km."),
    pain_during: int = typer.Option(..., "--pain-during", help="Knee pain during, 0–10."),
    pain_next_morning: int | None = typer.Option(None, "--pain-next-morning",
                                                 help="Knee pain the next morning, 0–10."),
    day: str | None = typer.Option(None, "--date", help="YYYY-MM-DD (default: today)."),
) -> None:
    """Log a run and the knee's answer to it."""
    from ..journal import open_journal

    with open_journal(db) as j:
        rid = j.add_run(date=_iso(day), km=km, pain_during=pain_during,
                        pain_next_morning=pain_next_morning)
    typer.echo(f"logged run {rid}", err=True)


@command(add_app, "profile")
def add_profile_cmd(
    db: Path = _DB,
    profile: Path = typer.Option(..., "--profile", help="Profile JSON (SPEC §2.1)."),
    day: str | None = typer.Option(None, "--date", help="YYYY-MM-DD (default: today)."),
) -> None:
    """Keep a snapshot of your profile; `journal show` then shows the gate with your progress."""
    from ..io.profile import load_profile
    from ..journal import open_journal

    prof = load_profile(str(profile))
    with open_journal(db) as j:
        sid = j.add_profile_snapshot(date=_iso(day), profile=prof)
    typer.echo(f"kept profile snapshot {sid}", err=True)


def _recent(j: Any, n: int) -> dict[str, list[dict[str, Any]]]:
    from ..journal import export_json

    data = export_json(j)
    return {k: data[k][-n:] for k in ("sessions", "retests", "runs")}


def _gate(j: Any, progress: Any) -> dict[str, Any] | None:
    from ..journal import recommend_with_progress

    snaps = j.snapshots()
    if not snaps:
        return None
    rec = recommend_with_progress(dict(snaps[-1].profile), progress)
    return {"stability_allowed": rec.gate.stability_allowed, "reason": rec.gate.reason,
            "unlock_when": list(rec.gate.unlock_when),
            "referral": {"required": rec.referral.required,
                         "reasons": list(rec.referral.reasons)},
            "profile_date": snaps[-1].date.isoformat()}


@command(journal_app, "show")
def show_cmd(
    db: Path = _DB,
    fmt: Format = typer.Option(Format.text, "--format", help="text or json."),
    recent: int = typer.Option(5, "--recent", min=0, max=1000,
                               help="How many recent entries of each kind."),
) -> None:
    """Progress toward the strength gate, and the recent entries."""
    from ..journal import compute_progress, open_journal, progress_lines

    with open_journal(db) as j:
        progress = compute_progress(j.rows(), j.today())
        entries = _recent(j, recent)
        gate = _gate(j, progress)
    lines = progress_lines(progress)
    if fmt is Format.json:
        typer.echo(json.dumps({"progress": progress.to_dict(), "lines": lines, "gate": gate,
                               "recent": entries}, indent=2, ensure_ascii=False))
        return
    out = ["Progress", *[f"  - {line}" for line in lines]]
    if gate is not None:
        state = "unlocked" if gate["stability_allowed"] else "locked"
        out += ["", f"Strength gate with your profile of {gate['profile_date']}: {state}",
                *[f"  - still needed: {u}" for u in gate["unlock_when"]]]
        if gate["referral"]["required"]:
            out += ["", "See a clinician first:",
                    *[f"  - {r}" for r in gate["referral"]["reasons"]]]
    out += ["", "Recent sessions"]
    out += [f"  {s['date']}  pain {s['pain']}/10  " + ", ".join(
        f"{e['exercise_id']} {e['sets']}x{e['reps']}"
        + (f"@{e['load_kg']:g}kg" if e["load_kg"] is not None else "")
        for e in s["exercises"]) + (f"  ({s['note']})" if s["note"] else "")
        for s in entries["sessions"]] or ["  (none)"]
    out += ["", "Recent re-tests"]
    out += [f"  {r['date']}  squat L {'pass' if r['squat_left_ok'] else 'fail'} / "
            f"R {'pass' if r['squat_right_ok'] else 'fail'}  balance L {r['balance_left_s']:g} s"
            f" / R {r['balance_right_s']:g} s" for r in entries["retests"]] or ["  (none)"]
    out += ["", "Recent runs"]
    out += [f"  {r['date']}  {r['km']:g} km  pain during {r['pain_during']}/10, next morning "
            + ("?" if r["pain_next_morning"] is None else f"{r['pain_next_morning']}/10")
            for r in entries["runs"]] or ["  (none)"]
    typer.echo("\n".join(out))


@command(journal_app, "export")
def export_cmd(
    db: Path = _DB,
    out: Path = typer.Option(..., "--out", help="FILE.json (everything) or a folder (CSVs)."),
) -> None:
    """Export the journal: one JSON file, or one CSV per table in a folder."""
    from ..journal import export_csv, export_json, open_journal

    with open_journal(db) as j:
        if out.suffix.lower() == ".json":
            _write_json(out, export_json(j))
            typer.echo(f"wrote {out}", err=True)
        else:
            for p in export_csv(j, out):
                typer.echo(f"wrote {p}", err=True)


def _write_json(out: Path, data: dict[str, Any]) -> None:
    import os
    import tempfile

    if not out.parent.is_dir():
        fail(f"--out: the folder {out.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@command(journal_app, "import")
def import_cmd(
    db: Path = _DB,
    source: Path = typer.Option(..., "--in", help="A JSON file written by `journal export`."),
    create: bool = typer.Option(False, "--create", help="Create the journal if missing."),
) -> None:
    """Import an exported journal into an empty journal."""
    from ..journal import JournalError, import_json, open_journal

    try:
        data = json.loads(source.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise JournalError(f"{source}: no such file", field="--in") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JournalError(f"{source}: not a readable JSON file ({exc})", field="--in") from None
    with open_journal(db, create=create) as j:
        counts = import_json(j, data)
    typer.echo("imported " + ", ".join(f"{n} {k}" for k, n in counts.items()), err=True)


@command(journal_app, "forget")
def forget_cmd(
    db: Path = _DB,
    yes: bool = typer.Option(False, "--yes", help="Confirm: delete the journal for good."),
) -> None:
    """Delete the journal file and its -wal/-shm companions."""
    from ..journal import forget

    if not yes:
        typer.echo("gaitkeeper: --yes: refusing to delete the journal without --yes",
                   err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    removed = forget(db)
    typer.echo(f"deleted {', '.join(map(str, removed))}", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(journal_app, name="journal")
