"""``gaitkeeper score-inventory``: batch scoring of a store's inventory (SPEC §6)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from ..rules.sources import MIN_MATCH_SCORE
from . import guarded


class Engine(StrEnum):
    local = "local"
    ray = "ray"


@guarded
def score_cmd(
    inventory: Path = typer.Option(..., "--inventory", help="Inventory CSV or Parquet."),
    runners: Path = typer.Option(..., "--runners", help="Runners CSV, Parquet or JSON lines."),
    out: Path = typer.Option(..., "--out", help="Output .parquet or .csv."),
    catalog: Path | None = typer.Option(None, "--catalog", help="Shoe catalog."),
    top: int = typer.Option(5, "--top", min=1, max=50, help="Matches per runner."),
    strict: bool = typer.Option(False, "--strict", help="Any invalid row: exit 2, write nothing."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local, or ray (extra 'distributed')."),
    chunk_size: int = typer.Option(50_000, "--chunk-size", min=100,
                                    help="Runners read and validated per chunk."),
    min_score: float = typer.Option(
        MIN_MATCH_SCORE, "--min-score", min=0, max=100,
        help="A match counts toward coverage only at or above this score (0-100); poorer "
             "matches stay in the output but the runner counts as not served."),
) -> None:
    """Score every customer against the in-stock inventory, in their size and width."""
    from ..batch import score_inventory_files

    summary = score_inventory_files(inventory, runners, out, catalog=catalog, top=top,
                                    strict=strict, chunk_size=chunk_size, engine=engine.value,
                                    min_score=min_score)
    typer.echo(summary.text(), err=True)
    for name, path in summary.outputs.items():
        typer.echo(f"  {name}: {path}", err=True)


def register(app: typer.Typer) -> None:
    app.command("score-inventory")(score_cmd)
