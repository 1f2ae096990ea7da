"""``gaitkeeper recommend PROFILE.json``: SPEC §4 on stdout."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from . import guarded


class Format(StrEnum):
    json = "json"
    text = "text"


@guarded
def recommend_cmd(
    profile: Path = typer.Argument(..., help="Runner profile, nested JSON (SPEC §2.1)."),
    catalog: Path | None = typer.Option(None, "--catalog", help="Shoe catalog CSV or Parquet."),
    top: int = typer.Option(5, "--top", min=1, max=100, help="How many shoes to recommend."),
    fmt: Format = typer.Option(Format.json, "--format", help="json (SPEC §4) or a text report."),
    journal: Path | None = typer.Option(
        None, "--journal", help="Your progress journal (SQLite, `gaitkeeper journal`): the "
                                "strength answers and logged pain come from it."),
) -> None:
    """Recommend shoes, a strength and form plan for one runner."""
    from ..recommend import recommend

    if journal is None:
        result = recommend(str(profile), catalog=catalog, top=top)
    else:
        result = _with_journal(profile, journal, catalog, top)
    out = result.to_json() if fmt is Format.json else result.to_text()
    typer.echo(out, nl=False)


def _with_journal(profile: Path, journal: Path, catalog: Path | None, top: int):
    """The same answer with the journal applied (``recommend_with_progress``); a missing or
    foreign journal is bad input (exit 2, the file left unchanged)."""
    from ..errors import GaitkeeperError
    from ..io.profile import load_profile
    from ..journal import compute_progress, open_journal, recommend_with_progress
    from . import fail

    prof = load_profile(str(profile))
    try:
        with open_journal(journal) as j:
            progress = compute_progress(j.rows(), j.today())
    except GaitkeeperError as exc:
        fail(f"--journal: {exc}")
    return recommend_with_progress(prof, progress, catalog=catalog, top=top)


def register(app: typer.Typer) -> None:
    app.command("recommend")(recommend_cmd)
