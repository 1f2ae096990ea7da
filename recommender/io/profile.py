"""A profile JSON file → :class:`~recommender.spec.profile.Profile`."""

from __future__ import annotations

from ..errors import FieldError, ProfileError
from ..spec.profile import Profile
from ..validate.profile import profile_from_json


def load_profile(path: str) -> Profile:
    """Read and parse a profile JSON file; every problem is a :class:`ProfileError`."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise ProfileError([FieldError("(file)", "no such file")], path) from None
    except OSError as exc:
        raise ProfileError([FieldError("(file)", exc.strerror or str(exc))], path) from None
    return profile_from_json(data, source=path)


