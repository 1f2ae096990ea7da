"""The progress journal (SPEC §7.5): what the runner actually did, on their own machine.

- :func:`open_journal` / :class:`Journal` — the SQLite file (``store.py``)
- :func:`compute_progress` → :class:`Progress`, :func:`progress_lines` — pure (``progress.py``)
- :func:`apply_progress` — the profile with its strength answers from the journal
- :func:`recommend_with_progress` — ``recommend`` with the journal: its strength answers and
  its pain findings (pain ≥ 7 in 14 days or rising → ``referral.required``)
- :func:`export_json`, :func:`import_json`, :func:`export_csv`, :func:`forget`

```python
from recommender.journal import compute_progress, open_journal, recommend_with_progress

with open_journal("~/knee.journal", create=True) as db:
    db.add_session(date="2026-12-01", pain=2,
                   exercises=[{"exercise_id": "glute_bridge", "sets": 3, "reps": 15}])
    progress = compute_progress(db.rows(), db.today())
rec = recommend_with_progress(profile, progress)  # gate and referral from the log
```
"""

from __future__ import annotations

from .apply import apply_progress, journal_referral_reasons, recommend_with_progress
from .exchange import export_csv, export_json, import_json
from .progress import (
    BALANCE_MIN_S,
    GATE_WEEKS,
    PHASES,
    SESSIONS_PER_WEEK,
    Phase,
    Progress,
    compute_progress,
    daily_sessions,
    pain_values,
    phase_for,
    progress_lines,
)
from .records import (
    EXTENSION_DEFICITS,
    JournalError,
    JournalRows,
    ProfileSnapshot,
    Retest,
    Run,
    Session,
    SessionExercise,
    parse_exercise_spec,
)
from .store import SCHEMA_VERSION, Journal, forget, open_journal

__all__ = [
    "BALANCE_MIN_S",
    "EXTENSION_DEFICITS",
    "GATE_WEEKS",
    "PHASES",
    "SCHEMA_VERSION",
    "SESSIONS_PER_WEEK",
    "Journal",
    "JournalError",
    "JournalRows",
    "Phase",
    "ProfileSnapshot",
    "Progress",
    "Retest",
    "Run",
    "Session",
    "SessionExercise",
    "apply_progress",
    "compute_progress",
    "daily_sessions",
    "export_csv",
    "export_json",
    "forget",
    "import_json",
    "journal_referral_reasons",
    "open_journal",
    "pain_values",
    "parse_exercise_spec",
    "phase_for",
    "progress_lines",
    "recommend_with_progress",
]
