"""``gaitkeeper validate FILE --kind shoes|inventory|runners``: every violation, named."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from . import EXIT_BAD_INPUT, guarded


class TableKind(StrEnum):
    shoes = "shoes"
    inventory = "inventory"
    runners = "runners"


@guarded
def validate_cmd(
    path: Path = typer.Argument(..., help="CSV, Parquet (or JSON lines for runners)."),
    kind: TableKind = typer.Option(..., "--kind", help="What the file holds."),
    catalog: Path | None = typer.Option(
        None, "--catalog", help="Catalog for shoe_id checks (default: the shipped one)."),
    limit: int = typer.Option(0, "--limit", min=0,
                              help="Show at most this many problems (0: every one)."),
) -> None:
    """Check a file against its schema; exit 0 when valid, 2 with every problem when not."""
    from ..catalog import load_catalog
    from ..io.tables import validate_path

    ids = None if kind.value == "shoes" else load_catalog(catalog).ids
    report = validate_path(str(path), kind.value, catalog_ids=ids)
    if report.ok:
        typer.echo(f"{path}: valid — {report.n_rows} row(s) of {kind.value}")
        return
    typer.echo(report.render(limit=limit or None), err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_cmd)
