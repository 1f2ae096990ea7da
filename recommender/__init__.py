"""gaitkeeper: shoe and running-form recommendations for runners with knee pain.

Strength before stability: no stability or motion-control shoe, and no insole, until the
hip, glute and core work is established. The curated public API:

- :func:`recommend` — one runner's profile → the complete, explained answer (SPEC §4)
- :func:`load_catalog` — the validated shoe catalog
- :func:`parse_profile`, :func:`load_profile`, :func:`profile_from_flat` — profile JSON or
  a flat row (SPEC §2.2) → typed :class:`Profile`
- :func:`score_inventory` — batch scoring of a store's inventory (SPEC §6), frames or paths
  in, a :class:`~recommender.batch.BatchResult` out; :func:`write_outputs` writes one
  (:data:`ANY_STORE`: the coverage rows of a runner served by any of several stores)
- :func:`rank_catalog` — a cohort's eligible shoes ranked by the same rules
- :func:`plan_cohort` — every runner's plan as a typed :class:`CohortPlan`
- :func:`similar_shoes` — shoes near in spec (numpy); :class:`ShoeScorer` — the scorer as a scikit-learn estimator
- :func:`validate_path` — every problem of a file, named
"""

from __future__ import annotations

from typing import Any

from .catalog import DATA_DIR, Catalog, load_catalog
from .errors import CatalogError, GaitkeeperError, ProfileError, ReadProblem
from .io.profile import load_profile
from .recommend import Recommendation, recommend
from .spec.profile import Profile, profile_to_dict
from .validate.profile import parse_profile, profile_from_flat

__version__ = "0.2.0"

__all__ = [
    "ANY_STORE",
    "DATA_DIR",
    "Catalog",
    "CatalogError",
    "CohortPlan",
    "GaitkeeperError",
    "Profile",
    "ProfileError",
    "ReadProblem",
    "Recommendation",
    "ShoeScorer",
    "load_catalog",
    "load_profile",
    "parse_profile",
    "plan_cohort",
    "profile_from_flat",
    "profile_to_dict",
    "rank_catalog",
    "recommend",
    "score_inventory",
    "similar_shoes",
    "validate_path",
    "write_outputs",
]

_LAZY = {  # heavier parts load only when asked for (fast command-line start-up)
    "similar_shoes": "recommender.space",
    "ShoeScorer": "recommender.similarity",
    "score_inventory": "recommender.batch.run",
    "ANY_STORE": "recommender.batch.coverage",
    "write_outputs": "recommender.batch.run",
    "rank_catalog": "recommender.cohort",
    "plan_cohort": "recommender.cohort",
    "CohortPlan": "recommender.cohort",
    "validate_path": "recommender.cohort",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'recommender' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
