"""``gaitkeeper import-inventory``: a point-of-sale export → the §6 inventory (SPEC §7.4).

Writes ``--out`` (the inventory CSV) and ``<out>.review.csv`` (rows not imported, with their
reasons and best candidates, and rows imported with a warning), each atomically (temporary
file beside it, renamed when complete) and spreadsheet-safe. Summary on stderr; exit 0.
Exit 2 when the export, aliases or mapping cannot be read, or a required column is missing.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from . import fail, guarded

_RISKY = r"^[=+\-@\t\r]"


class Format(StrEnum):
    shopify = "shopify"
    shopify_inventory = "shopify-inventory"
    square = "square"
    lightspeed = "lightspeed"
    generic = "generic"


def review_path(out: Path) -> Path:
    """``<out>.review.csv``, beside the output (as ``<out>.rejects.csv`` of score-inventory)."""
    return out.with_name(out.name + ".review.csv")


@guarded
def import_cmd(
    export: Path = typer.Argument(..., help="The store's export (CSV or XLSX)."),
    fmt: Format = typer.Option(..., "--format", help="Which system exported it."),
    out: Path = typer.Option(..., "--out", help="Inventory CSV to write."),
    aliases: Path | None = typer.Option(None, "--aliases", help="CSV code,shoe_id kept by the store."),
    mapping: Path | None = typer.Option(None, "--mapping",
                                        help="generic: JSON or field=Column lines."),
    catalog: Path | None = typer.Option(None, "--catalog", help="Shoe catalog."),
) -> None:
    """Turn a Shopify, Square, Lightspeed or generic export into gaitkeeper's inventory."""
    from ..catalog import load_catalog
    from ..io.write import StagedOutputs, check_outputs
    from ..store import import_inventory

    if out.suffix.lower() != ".csv":
        fail(f"{out}: --out must be a .csv file")
    if fmt is Format.generic and mapping is None:
        fail(f"{export}: --format generic needs --mapping")
    review = review_path(out)
    check_outputs([str(out), str(review)],
                  inputs=[str(p) for p in (export, aliases, mapping, catalog) if p is not None])
    cat = load_catalog(catalog)
    result = import_inventory(export, fmt.value, cat, aliases=aliases, mapping=mapping)
    with StagedOutputs() as staged:  # both files appear together, or neither
        staged.write_csv(result.review, review)
        staged.write_csv(result.inventory, out)
    typer.echo(f"gaitkeeper: {result.summary()}", err=True)
    typer.echo(f"  inventory: {out}", err=True)
    typer.echo(f"  review: {review}", err=True)


def register(app: typer.Typer) -> None:
    app.command("import-inventory")(import_cmd)
