"""Tune the component weights against graded relevance (issue 12, item 2).

Procedure:

1. Runners: the hand-written vignettes (``recommender.testing.vignettes.V``) and a seeded
   sample of synthetic runners (``synth_runners(200, seed=12)``, flat rows parsed with
   ``profile_from_flat``).
2. Every runner × catalog pair is scored by the engine (``derive`` + ``score_pairs``): its
   components (NaN where one does not apply) and whether it is eligible. Only the eligible
   shoes are ranked (the hard filters are not weights); versions of one model are all kept.
3. Each pair is graded 0..3 by the oracle ``recommender.testing.relevance`` (SPEC and
   EVIDENCE, independent of ``recommender.rules``). Runners whose eligible shoes all share
   one grade carry no ranking signal and are left out (counted in the output).
4. The runners are split (seeded, by runner) into a search set (70 %) and a held-out set.
   Random search (``ParameterSampler``, each weight log-uniform in 0.005..1, plus the
   defaults) scores each weight vector by NDCG@10 — ``ndcg_score`` per runner (one row per
   runner, shoes padded with relevance 0 ranked last), averaged — on the search set; the best
   vector is then evaluated on the held-out runners.

Run: ``python benchmarks/tune_weights.py`` (about a minute). Prints nDCG@10 of the default
weights and of the best weights found (search and held-out runners), and the best weights
normalised to sum 1.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from scipy.stats import loguniform
from sklearn.metrics import ndcg_score
from sklearn.model_selection import GroupShuffleSplit, ParameterSampler

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from recommender.catalog import Catalog, load_catalog  # noqa: E402
from recommender.core.features import derive  # noqa: E402
from recommender.core.pairs import COMPONENT_PREFIX, score_pairs  # noqa: E402
from recommender.rules import COMPONENT_NAMES, DEFAULT_WEIGHTS  # noqa: E402
from recommender.rules.expr import P  # noqa: E402
from recommender.similarity import ShoeScorer  # noqa: E402
from recommender.spec.profile import Profile, profiles_to_frame  # noqa: E402
from recommender.spec.vocab import S  # noqa: E402
from recommender.synth import synth_runners  # noqa: E402
from recommender.testing.relevance import grades  # noqa: E402
from recommender.testing.vignettes import V  # noqa: E402
from recommender.validate.profile import parse_profile, profile_from_flat  # noqa: E402

K = 10
PAD_SCORE = -1.0  # below every 0..100 score: padding ranks last


@dataclass
class Pairs:
    """The eligible pairs, one block of rows per runner."""

    runner_ids: list[str]
    x: np.ndarray  # components, NaN = does not apply
    y: np.ndarray  # oracle grades 0..3
    groups: np.ndarray  # runner index of each row
    engine_score: np.ndarray
    stats: dict[str, int]


def profiles(n_synth: int = 200, seed: int = 12,
             vignettes: Sequence[str] | None = None) -> list[Profile]:
    names = list(V) if vignettes is None else list(vignettes)
    out = [parse_profile(V[n]) for n in names]
    if n_synth:
        for row in synth_runners(n_synth, seed).iter_rows(named=True):
            out.append(profile_from_flat({k: v for k, v in row.items() if v is not None}))
    return out


def build_pairs(profs: Sequence[Profile], cat: Catalog) -> Pairs:
    comp_cols = [f"{COMPONENT_PREFIX}{n}" for n in COMPONENT_NAMES]
    feats = derive(profiles_to_frame(list(profs)), cat.frame).collect()
    pairs = feats.lazy().join(cat.frame.lazy().with_columns(pl.col(S.msrp_usd).alias(P.price)),
                              how="cross")
    scored = score_pairs(pairs).select("runner_id", S.shoe_id, P.eligible, P.score,
                                       *comp_cols).collect()
    rows = {r[S.shoe_id]: r for r in cat.frame.to_dicts()}
    ids = cat.frame.get_column(S.shoe_id).to_list()
    graded = pl.DataFrame({
        "runner_id": np.repeat([p.runner_id for p in profs], len(ids)),
        S.shoe_id: ids * len(profs),
        "grade": [g for p in profs for g in grades(p, (rows[i] for i in ids), rows)],
    })
    full = scored.join(graded, on=["runner_id", S.shoe_id], how="left")
    stats = {
        "runners": len(profs),
        "pairs": full.height,
        "eligible_pairs": int(full.get_column(P.eligible).sum()),
        "eligible_graded_0": full.filter(pl.col(P.eligible) & (pl.col("grade") == 0)).height,
        "excluded_graded_2_plus": full.filter(~pl.col(P.eligible)
                                              & (pl.col("grade") >= 2)).height,
    }
    elig = full.filter(pl.col(P.eligible))
    spread = elig.group_by("runner_id").agg(pl.col("grade").n_unique().alias("n"))
    keep = spread.filter(pl.col("n") > 1).get_column("runner_id")
    order = {p.runner_id: i for i, p in enumerate(profs)}
    elig = elig.filter(pl.col("runner_id").is_in(keep.implode())).with_columns(
        pl.col("runner_id").replace_strict(order, return_dtype=pl.Int64).alias("__g")
    ).sort("__g", S.shoe_id)
    stats["runners_ranked"] = keep.len()
    stats["runners_without_eligible_shoe"] = len(profs) - spread.height
    stats["runners_one_grade_only"] = spread.height - keep.len()
    x = elig.select(comp_cols).to_numpy().astype(float)  # null → NaN
    return Pairs(runner_ids=sorted(set(keep.to_list()), key=order.__getitem__), x=x,
                 y=elig.get_column("grade").to_numpy().astype(float),
                 groups=elig.get_column("__g").to_numpy(),
                 engine_score=elig.get_column(P.score).to_numpy(), stats=stats)


def _padded(values: np.ndarray, groups: np.ndarray, fill: float) -> np.ndarray:
    uniq, idx = np.unique(groups, return_inverse=True)
    pos = np.zeros(len(groups), dtype=int)
    counts = np.zeros(len(uniq), dtype=int)
    for i, g in enumerate(idx):  # position within the runner's block
        pos[i] = counts[g]
        counts[g] += 1
    out = np.full((len(uniq), counts.max()), fill)
    out[idx, pos] = values
    return out


def mean_ndcg(weights: Mapping[str, float], x: np.ndarray, y: np.ndarray,
              groups: np.ndarray, k: int = K) -> float:
    """NDCG@k of each runner's shoes ranked by ``ShoeScorer(**weights)``, averaged over
    runners (``ndcg_score`` with one row per runner, padding irrelevant and last)."""
    pred = ShoeScorer(**weights).fit(x).predict(x)
    return float(ndcg_score(_padded(y, groups, 0.0), _padded(pred, groups, PAD_SCORE), k=k))


def per_runner_ndcg(weights: Mapping[str, float], x: np.ndarray, y: np.ndarray,
                    groups: np.ndarray, k: int = K) -> np.ndarray:
    pred = ShoeScorer(**weights).fit(x).predict(x)
    return np.array([ndcg_score(y[groups == g][None, :], pred[groups == g][None, :], k=k)
                     for g in np.unique(groups)])


def search(pairs: Pairs, n_iter: int, seed: int = 0,
           mask: np.ndarray | None = None) -> tuple[dict[str, float], float]:
    """Random search on the rows in ``mask`` (default: all): the best weights and their
    mean NDCG@10 (the defaults are a candidate too)."""
    m = np.ones(len(pairs.y), dtype=bool) if mask is None else mask
    x, y, g = pairs.x[m], pairs.y[m], pairs.groups[m]
    space = {n: loguniform(0.005, 1.0) for n in COMPONENT_NAMES}
    best_w, best = dict(DEFAULT_WEIGHTS), mean_ndcg(DEFAULT_WEIGHTS, x, y, g)
    for cand in ParameterSampler(space, n_iter=n_iter, random_state=seed):
        score = mean_ndcg(cand, x, y, g)
        if score > best + 1e-12:
            best_w, best = {n: float(v) for n, v in cand.items()}, score
    return best_w, best


def normalised(w: Mapping[str, float]) -> dict[str, float]:
    total = sum(w.values())
    return {n: round(w[n] / total, 3) for n in COMPONENT_NAMES}


def run(n_synth: int = 200, seed: int = 12, n_iter: int = 400,
        vignettes: Sequence[str] | None = None, held_out: float = 0.3,
        catalog: Catalog | None = None, verbose: bool = True) -> dict[str, Any]:
    cat = catalog if catalog is not None else load_catalog()
    t0 = time.perf_counter()
    pairs = build_pairs(profiles(n_synth, seed, vignettes), cat)
    check = ShoeScorer().fit(pairs.x).predict(pairs.x)
    gap = float(np.max(np.abs(check - pairs.engine_score))) if len(check) else 0.0
    default_all = mean_ndcg(DEFAULT_WEIGHTS, pairs.x, pairs.y, pairs.groups)
    if held_out:
        split = GroupShuffleSplit(n_splits=1, test_size=held_out, random_state=seed)
        tr, te = next(split.split(pairs.x, pairs.y, pairs.groups))
        train = np.zeros(len(pairs.y), dtype=bool)
        train[tr] = True
    else:
        train, te = np.ones(len(pairs.y), dtype=bool), np.array([], dtype=int)
    best_w, best_train = search(pairs, n_iter, seed, train)
    out: dict[str, Any] = {
        "stats": pairs.stats, "engine_gap": gap, "default_all": default_all,
        "default_train": mean_ndcg(DEFAULT_WEIGHTS, pairs.x[train], pairs.y[train],
                                   pairs.groups[train]),
        "best_train": best_train, "best_weights": best_w,
        "best_all": mean_ndcg(best_w, pairs.x, pairs.y, pairs.groups),
        "seconds": 0.0,
    }
    if len(te):
        out["default_test"] = mean_ndcg(DEFAULT_WEIGHTS, pairs.x[te], pairs.y[te],
                                        pairs.groups[te])
        out["best_test"] = mean_ndcg(best_w, pairs.x[te], pairs.y[te], pairs.groups[te])
        out["test_runners"] = len(np.unique(pairs.groups[te]))
    out["train_runners"] = len(np.unique(pairs.groups[train]))
    out["seconds"] = time.perf_counter() - t0
    if verbose:
        _print(out)
    return out


def _print(out: Mapping[str, Any]) -> None:
    s = out["stats"]
    print(f"runners {s['runners']} (ranked {s['runners_ranked']}; no eligible shoe "
          f"{s['runners_without_eligible_shoe']}; one grade only {s['runners_one_grade_only']}),"
          f" pairs {s['pairs']}, eligible {s['eligible_pairs']}")
    print(f"oracle vs filters: eligible pairs graded 0: {s['eligible_graded_0']}; excluded "
          f"pairs graded >= 2: {s['excluded_graded_2_plus']}")
    print(f"ShoeScorer(default) vs engine score: max |diff| {out['engine_gap']:.4f}")
    print(f"nDCG@{K} default weights: all {out['default_all']:.4f}, search set "
          f"{out['default_train']:.4f} ({out['train_runners']} runners)"
          + (f", held out {out['default_test']:.4f} ({out['test_runners']} runners)"
             if "default_test" in out else ""))
    print(f"nDCG@{K} best weights:    all {out['best_all']:.4f}, search set "
          f"{out['best_train']:.4f}"
          + (f", held out {out['best_test']:.4f}" if "best_test" in out else ""))
    print("default weights (sum 1):", normalised(DEFAULT_WEIGHTS))
    print("best weights    (sum 1):", normalised(out["best_weights"]))
    print(f"({out['seconds']:.1f} s)")


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synth", type=int, default=200)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--iter", type=int, default=400)
    a = ap.parse_args(argv)
    run(a.synth, a.seed, a.iter)


if __name__ == "__main__":
    main()
