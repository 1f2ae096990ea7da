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
) -> None:
    """Recommend shoes, a strength and form plan for one runner."""
    from ..recommend import recommend

    result = recommend(str(profile), catalog=catalog, top=top)
    out = result.to_json() if fmt is Format.json else result.to_text()
    typer.echo(out, nl=False)


def register(app: typer.Typer) -> None:
    app.command("recommend")(recommend_cmd)
