"""``apply_progress``: the profile with its strength answers taken from the journal.

The new profile is built as JSON and parsed again with ``parse_profile``, so every rule of
SPEC §2.1 still applies to it; ``recommend(apply_progress(p, progress))`` then opens (or keeps
shut) the strength gate from what the runner actually logged.
"""

from __future__ import annotations

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
