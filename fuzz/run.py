"""The long property run (issue 7): at least 10^6 uniformly random valid profiles through
the vectorised path, every safety invariant checked, plus determinism and the rejection of
invalid values on a sample. Prints the totals; exits 1 on any violation.

    python fuzz/run.py                    # 1,000,000 profiles
    python fuzz/run.py --n 50000 --chunk 10000
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import polars as pl

from recommender import load_catalog
from recommender.io import validate_raw
from recommender.spec.profile import RUNNER_SPECS
from recommender.synth import fuzz_runners
from recommender.testing.oracles import VIOLATIONS, check
from recommender.validate.coerce import with_row_numbers


def invalid_values_rejected(catalog_ids: list[str], n: int, seed: int) -> dict[str, int]:
    """Break one field per row (above its maximum, or not one of its choices) in text form:
    every broken row must be rejected naming that column, every other row kept."""
    rng = np.random.default_rng(seed)
    frame = fuzz_runners(n, seed, catalog_ids).with_columns(
        pl.col(pl.List(pl.String)).list.join(";")).cast(pl.String)
    breakable = [s for s in RUNNER_SPECS if (s.kind in ("int", "float") and s.hi is not None)
                 or s.kind == "enum"]
    targets = rng.integers(0, len(breakable), n)
    broken = rng.random(n) < 0.5
    cols = {s.name: frame.get_column(s.name).to_list() for s in breakable}
    for i in np.flatnonzero(broken):
        spec = breakable[targets[i]]
        cols[spec.name][i] = (str(spec.hi * 2 + 1) if spec.kind in ("int", "float")
                              else "not-a-choice")
    frame = frame.with_columns(pl.Series(k, v, dtype=pl.String) for k, v in cols.items())
    result = validate_raw(with_row_numbers(frame), "runners", file="fuzz", catalog_ids=catalog_ids)
    named = set(zip(result.problems["row"].to_list(), result.problems["column"].to_list(),
                    strict=True))
    missed = sum((int(i) + 1, breakable[targets[i]].name) not in named
                 for i in np.flatnonzero(broken))
    kept = set(result.frame["__row"].to_list())
    wrongly_rejected = sum((int(i) + 1) not in kept for i in np.flatnonzero(~broken))
    return {"invalid_checked": int(broken.sum()), "invalid_not_named": missed,
            "valid_wrongly_rejected": wrongly_rejected}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--chunk", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    cat = load_catalog()
    totals: dict[str, int] = {}
    started = time.perf_counter()
    for k, start in enumerate(range(0, args.n, args.chunk)):
        runners = fuzz_runners(min(args.chunk, args.n - start), args.seed + k, cat.ids)
        for key, value in check(runners, cat.frame).items():
            totals[key] = totals.get(key, 0) + value
    first = fuzz_runners(min(args.chunk, args.n), args.seed, cat.ids)
    totals["nondeterministic"] = int(check(first, cat.frame) != check(first, cat.frame))
    totals.update(invalid_values_rejected(cat.ids, min(20_000, args.n), args.seed))
    seconds = time.perf_counter() - started
    bad = {k: totals[k] for k in (*VIOLATIONS, "nondeterministic", "invalid_not_named",
                                  "valid_wrongly_rejected") if totals[k]}
    print(f"{totals['runners']:,} random valid profiles, {totals['pairs']:,} runner×shoe pairs, "
          f"{totals['invalid_checked']:,} broken rows, in {seconds:.0f} s")
    for key in (*VIOLATIONS, "nondeterministic", "invalid_not_named", "valid_wrongly_rejected"):
        print(f"  {key}: {totals[key]}")
    print("violations: 0" if not bad else f"VIOLATIONS: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
