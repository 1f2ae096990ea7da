"""The journal applied to a recommendation.

- :func:`apply_progress`: the profile with its strength answers taken from the journal. The
  new profile is built as JSON and parsed again with ``parse_profile``, so every rule of
  SPEC §2.1 still applies to it; the strength gate then opens (or stays shut) from what the
  runner actually logged.
- :func:`recommend_with_progress`: the one way the app and the CLI recommend with a journal:
  ``apply_progress`` *and* the journal's pain findings (a logged pain of 7/10 or more in the
  last 14 days, or pain rising week on week; thresholds in ``rules.sources``) as
  ``referral.required`` reasons, which hold the answer as a red flag does (SPEC §3.3, §7.3).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..recommend import Recommendation, recommend
from ..rules.referral import journal_referral_text
from ..spec.profile import Profile, profile_to_dict
from ..validate.profile import parse_profile
from .progress import Progress

WEEKS_MAX = 520  # SPEC §2.1 strength.weeks_consistent: int 0..520


def apply_progress(profile: Profile, progress: Progress) -> Profile:
    """A new :class:`Profile` whose strength evidence comes from the journal where it has it.

    - ``strength.weeks_consistent``: from the journal when it holds at least one session
      (the streak of SPEC §7.5 weeks, even when that is lower than what was typed);
    - ``strength.single_leg_squat_ok`` / ``single_leg_balance_s``: from the latest re-test
      (the balance of the weaker leg);
    - ``knee.extension_deficit``: from the latest re-test when it recorded one.

    Everything else is the runner's own answer, unchanged.
    """
    data = profile_to_dict(profile)
    strength = data.setdefault("strength", {})
    if progress.sessions_total > 0:
        strength["weeks_consistent"] = min(progress.weeks_consistent, WEEKS_MAX)
    if progress.single_leg_squat_ok is not None:
        strength["single_leg_squat_ok"] = progress.single_leg_squat_ok
    if progress.single_leg_balance_s is not None:
        strength["single_leg_balance_s"] = progress.single_leg_balance_s
    if progress.extension_deficit is not None:
        data.setdefault("knee", {})["extension_deficit"] = progress.extension_deficit
    if not strength:
        del data["strength"]
    return parse_profile(data, source="profile with journal progress")


def journal_referral_reasons(progress: Progress) -> list[str]:
    """The journal's pain findings as the recommendation's ``referral.reasons``."""
    return [journal_referral_text(r) for r in progress.referral_reasons]


def recommend_with_progress(profile: Profile | Mapping[str, Any], progress: Progress,
                            **kwargs: Any) -> Recommendation:
    """``recommend`` for a runner who keeps a journal: the strength answers from the journal
    (:func:`apply_progress`) and its pain findings as referral reasons. ``kwargs`` go to
    :func:`recommender.recommend` (``catalog``, ``top``, …)."""
    if not isinstance(profile, Profile):
        profile = parse_profile(profile)
    return recommend(apply_progress(profile, progress),
                     referral_reasons=journal_referral_reasons(progress), **kwargs)
