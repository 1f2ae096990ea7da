"""Benchmark: batch scoring of generated runners × the shipped catalog and sample inventory.

Targets: 200,000 runners in ≤ 10 s wall on 2 cores with peak RSS ≤ 1.5 GB; 2,000,000
runners with peak RSS still ≤ 1.5 GB. Each size runs in a fresh process so its peak RSS is
its own. Also reports runner×model pairs per second and the speed-up over calling
recommend() runner by runner on a sample.

    python benchmarks/batch.py            # 200k and 2M
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


def one_run(n: int, workdir: str) -> dict:
    """Runs in a child process of its own: score the runners generated beforehand."""
    from recommender import load_catalog
    from recommender.batch import score_inventory_files as score_inventory

    runners = Path(workdir) / f"runners_{n}.parquet"
    cat = load_catalog()
    t = time.perf_counter()
    summary = score_inventory(ROOT / "data" / "inventory_sample.csv", runners,
                              Path(workdir) / f"scored_{n}.parquet", catalog=cat, top=5,
                              progress=False)
    wall = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"runners": n, "wall_s": round(wall, 2), "peak_rss_mb": round(peak),
            "rows": summary.rows_written, "without_match": summary.runners_without_match}


def pairs_and_ratio(sample: int = 300) -> dict:
    """Pairs per second of the vectorised path vs recommend() one runner at a time."""
    import polars as pl

    from recommender import load_catalog, recommend, validate_path
    from recommender.batch import prepare_offers, score_chunk
    from recommender.synth import synth_runners
    from recommender.validate.profile import profile_from_flat

    cat = load_catalog()
    inv = validate_path(ROOT / "data" / "inventory_sample.csv", "inventory", cat).frame
    offers = prepare_offers(inv, cat)
    runners = synth_runners(50_000, seed=2)
    pairs = runners.join(offers, left_on=["shoe_size_us", "width"],
                         right_on=["__offer_size", "__offer_width"]).height
    t = time.perf_counter()
    score_chunk(runners, offers, cat.frame, 5)
    vec = time.perf_counter() - t
    profiles = [profile_from_flat({k: v for k, v in row.items()})
                for row in runners.head(sample).iter_rows(named=True)]
    t = time.perf_counter()
    for p in profiles:
        recommend(p, cat, top=5)
    loop = time.perf_counter() - t
    per_runner_vec = vec / runners.height
    per_runner_loop = loop / sample
    return {"pairs_per_s": round(pairs / vec), "vectorised_ms_per_runner": per_runner_vec * 1e3,
            "recommend_loop_ms_per_runner": per_runner_loop * 1e3,
            "speedup": round(per_runner_loop / per_runner_vec, 1), "_": pl.__version__}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[200_000, 2_000_000])
    ap.add_argument("--child", type=int)
    ap.add_argument("--workdir")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(one_run(args.child, args.workdir)))
        return
    with tempfile.TemporaryDirectory() as workdir:
        for n in args.sizes:
            subprocess.run([sys.executable, "-m", "recommender", "synth-runners", "--n", str(n),
                            "--seed", "1", "--out", str(Path(workdir) / f"runners_{n}.parquet")],
                           capture_output=True, check=True)
            out = subprocess.run([sys.executable, __file__, "--child", str(n), "--workdir",
                                  workdir], capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{r['runners']:>9,} runners: {r['wall_s']:.2f} s wall, peak RSS "
                  f"{r['peak_rss_mb']} MB, {r['rows']:,} rows, {r['without_match']:,} without "
                  "a match (targets: 200k <= 10 s; RSS <= 1536 MB)")
    r = pairs_and_ratio()
    print(f"vectorised scoring: {r['pairs_per_s']:,} runner×model pairs/s; "
          f"{r['vectorised_ms_per_runner']:.3f} ms/runner vs recommend() one by one "
          f"{r['recommend_loop_ms_per_runner']:.2f} ms/runner: {r['speedup']}× faster")


if __name__ == "__main__":
    main()
