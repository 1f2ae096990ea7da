"""Benchmark: batch scoring of generated runners × the shipped catalog and sample inventory.

Prints, from runs it does now:
- the whole command (`gaitkeeper score-inventory --top 10`: start-up, reading, validation,
  scoring, coverage, alternatives, side files) on 200,000 and 2,000,000 runners, each in a
  fresh process: wall seconds, seconds per 100k runners (linear?) and peak RSS
  (targets: 2M runners ≤ 1 GB);
- scoring alone (runners already validated, offers prepared): runner × offer pairs per
  second (target ≥ 20 M/s), and the speed-up over calling recommend() runner by runner.

    python benchmarks/batch.py                 # 200k and 2M
    python benchmarks/batch.py --sizes 200000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INVENTORY = ROOT / "recommender" / "data" / "inventory_sample.csv"
TOP = 10
RSS_TARGET_MB = 1024
PAIRS_TARGET = 20_000_000


def child(n: int, workdir: str) -> None:
    """In a fresh process: the command line, as a store runs it; peak RSS to stdout."""
    from recommender.cli import main as cli

    out = Path(workdir) / f"scored_{n}.parquet"
    sys.argv = ["gaitkeeper", "score-inventory", "--inventory", str(INVENTORY), "--runners",
                str(Path(workdir) / f"runners_{n}.parquet"), "--out", str(out), "--top",
                str(TOP)]
    try:
        cli()
    except SystemExit as e:
        if e.code:
            raise
    print(json.dumps({"peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                           / 1024)}))


def whole_command(n: int, workdir: str) -> dict:
    subprocess.run([sys.executable, "-m", "recommender", "synth-runners", "--n", str(n),
                    "--seed", "1", "--out", str(Path(workdir) / f"runners_{n}.parquet")],
                   capture_output=True, check=True)
    t = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", str(n), "--workdir", workdir],
                          capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    r = json.loads(done.stdout.strip().splitlines()[-1])
    return {"runners": n, "wall_s": wall, "peak_rss_mb": r["peak_rss_mb"]}


def scoring_alone(n: int = 200_000, sample: int = 300, repeat: int = 5) -> dict:
    """Pairs per second of the ranking step alone (best of ``repeat``), and recommend() one
    runner at a time."""
    import polars as pl

    from recommender import load_catalog, recommend, validate_path
    from recommender.batch import prepare_offers, score_chunk
    from recommender.core.features import derive
    from recommender.core.ranking import OFFER_LINE, OFFER_SIZE, OFFER_WIDTH
    from recommender.io.tables import validate_raw
    from recommender.rules.expr import F
    from recommender.synth import synth_runners
    from recommender.validate.coerce import with_row_numbers
    from recommender.validate.profile import profile_from_flat

    cat = load_catalog()
    offers = prepare_offers(validate_path(INVENTORY, "inventory", cat).frame, cat)
    raw = synth_runners(n, seed=2)
    runners = validate_raw(with_row_numbers(raw), "runners", file="synth",
                           catalog_ids=cat.ids).frame
    keys = derive(runners, cat.frame).select(F.line, "shoe_size_us", "width").collect()
    pairs = keys.join(offers.select(OFFER_LINE, OFFER_SIZE, OFFER_WIDTH),
                      left_on=[F.line, "shoe_size_us", "width"],
                      right_on=[OFFER_LINE, OFFER_SIZE, OFFER_WIDTH]).height
    # as score-inventory scores (texts as Categorical, the Parquet writer's input)
    score_chunk(runners.head(1_000), offers, cat.frame, TOP, categorical=True)  # warm-up
    times = []
    for _ in range(repeat):  # the best of `repeat`: other tenants of the machine add noise
        t = time.perf_counter()
        score_chunk(runners, offers, cat.frame, TOP, categorical=True)
        times.append(time.perf_counter() - t)
    vec = min(times)
    profiles = [profile_from_flat(row) for row in raw.head(sample).iter_rows(named=True)]
    t = time.perf_counter()
    for p in profiles:
        recommend(p, cat, top=5)
    loop = time.perf_counter() - t
    return {"runners": n, "pairs": pairs, "seconds": vec, "pairs_per_s": pairs / vec,
            "speedup": (loop / sample) / (vec / n), "_": pl.__version__}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[200_000, 2_000_000])
    ap.add_argument("--child", type=int)
    ap.add_argument("--workdir")
    args = ap.parse_args()
    if args.child:
        child(args.child, args.workdir)
        return
    with tempfile.TemporaryDirectory() as workdir:
        for n in args.sizes:
            r = whole_command(n, workdir)
            print(f"score-inventory --top {TOP}, {n:>9,} runners: {r['wall_s']:6.2f} s wall "
                  f"({r['wall_s'] / n * 1e5:.2f} s per 100k runners), peak RSS "
                  f"{r['peak_rss_mb']} MB (target <= {RSS_TARGET_MB} MB)")
    r = scoring_alone()
    print(f"scoring alone, {r['runners']:,} runners: {r['pairs']:,} runner x offer pairs in "
          f"{r['seconds']:.2f} s (best of 5) = {r['pairs_per_s'] / 1e6:.1f} M pairs/s (target >= "
          f"{PAIRS_TARGET / 1e6:.0f} M/s); {r['speedup']:,.0f}x faster per runner than "
          "recommend() one by one")


if __name__ == "__main__":
    main()
