"""``gaitkeeper synth-runners --n N --seed S --out P``: a synthetic cohort."""

from __future__ import annotations

from pathlib import Path

import typer

from . import guarded


@guarded
def synth_cmd(
    n: int = typer.Option(..., "--n", min=1, max=50_000_000, help="How many runners."),
    seed: int = typer.Option(..., "--seed", help="Random seed (same seed, same file)."),
    out: Path = typer.Option(..., "--out", help="Output .csv or .parquet."),
) -> None:
    """Generate a seeded, clearly synthetic runner cohort (priors: data/README.md)."""
    from ..io.write import write_table
    from ..synth import synth_runners

    frame = synth_runners(n, seed)
    write_table(frame, out)
    typer.echo(f"wrote {frame.height} synthetic runners to {out}", err=True)


def register(app: typer.Typer) -> None:
    app.command("synth-runners")(synth_cmd)
