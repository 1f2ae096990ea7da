"""One runner's answer (SPEC §4 and §7.3): the engine, the typed result and its text and
Markdown renderings."""

from __future__ import annotations

from .engine import recommend
from .result import Recommendation

__all__ = ["Recommendation", "recommend"]
