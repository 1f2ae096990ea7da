"""gaitkeeper: shoe and running-form recommendations for runners with knee pain.

Strength before stability: no stability or motion-control shoe, and no insole, until the
hip, glute and core work is established. The curated public API:

- :func:`recommend` — one runner's profile → the complete, explained answer (SPEC §4)
- :func:`load_catalog` — the validated shoe catalog
- :func:`parse_profile`, :func:`load_profile` — profile JSON → typed :class:`Profile`
- :func:`score_inventory` — batch scoring of a store's inventory (SPEC §6)
- :func:`similar_shoes`, :class:`ShoeScorer` — scikit-learn similarity and tunable scorer
"""

from __future__ import annotations

from typing import Any

from .catalog import DATA_DIR, Catalog, CatalogError, load_catalog
from .engine import Recommendation, recommend
from .profile import Profile, ProfileError, load_profile, parse_profile

__version__ = "0.1.0"

__all__ = [
    "DATA_DIR",
    "Catalog",
    "CatalogError",
    "Profile",
    "ProfileError",
    "Recommendation",
    "ShoeScorer",
    "load_catalog",
    "load_profile",
    "parse_profile",
    "recommend",
    "score_inventory",
    "similar_shoes",
]


def __getattr__(name: str) -> Any:
    # scikit-learn and the batch machinery load only when asked for (fast CLI start-up)
    if name in ("similar_shoes", "ShoeScorer"):
        from . import similarity

        return getattr(similarity, name)
    if name == "score_inventory":
        from .batch import score_inventory

        return score_inventory
    raise AttributeError(f"module 'recommender' has no attribute {name!r}")
