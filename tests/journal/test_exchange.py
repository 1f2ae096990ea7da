"""Export and import: JSON round trip (exact, ids included), CSV per table, bad documents
named by field."""

from __future__ import annotations

import csv
import json
from datetime import timedelta
from pathlib import Path

import pytest

from recommender.journal import JournalError, export_csv, export_json, import_json, open_journal

from .helpers import TODAY

BRIDGE = {"exercise_id": "glute_bridge", "sets": 3, "reps": 15}


def fill(j) -> None:
    j.add_session(date=TODAY - timedelta(days=3), pain=2, note="=HYPERLINK(\"x\")",
                  exercises=[BRIDGE, {"exercise_id": "monster_walk", "sets": 2, "reps": 20,
                                      "load_kg": 5.5}])
    j.add_session(date=TODAY, pain=0, exercises=[BRIDGE])
    j.add_retest(date=TODAY - timedelta(days=1), squat_left_ok=False, squat_right_ok=True,
                 balance_left_s=21.5, balance_right_s=40, extension_deficit="none")
    j.add_run(date=TODAY - timedelta(days=2), km=7.25, pain_during=3)
    j.add_run(date=TODAY - timedelta(days=1), km=5, pain_during=1, pain_next_morning=0)
    j.add_profile_snapshot(date=TODAY, profile={"knee": {"pain": True, "severity": 3},
                                                "tight": ["calves"]})


def test_json_round_trip_is_exact(journal, tmp_path: Path) -> None:
    fill(journal)
    exported = export_json(journal)
    text = json.dumps(exported)  # JSON-ready
    assert exported["format"] == "gaitkeeper-journal" and exported["schema_version"] == 2
    assert [len(exported[k]) for k in ("sessions", "retests", "runs", "profile_snapshots")] == \
        [2, 1, 2, 1]
    with open_journal(tmp_path / "copy.journal", create=True, today=lambda: TODAY) as copy:
        counts = import_json(copy, json.loads(text))
        assert counts == {"sessions": 2, "retests": 1, "runs": 2, "profile_snapshots": 1}
        assert export_json(copy) == exported
        assert copy.rows() == journal.rows()


def test_import_into_a_journal_with_entries_is_refused_whole(journal, tmp_path: Path) -> None:
    fill(journal)
    data = export_json(journal)
    with open_journal(tmp_path / "other.journal", create=True, today=lambda: TODAY) as other:
        other.add_run(date=TODAY, km=3, pain_during=0)
        with pytest.raises(JournalError, match="already has entries"):
            import_json(other, data)
        assert len(other.runs()) == 1 and other.sessions() == ()


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda d: d.update(format="something"), "format"),
    (lambda d: d.update(schema_version=3), "schema_version"),
    (lambda d: d.update(extra=[]), "extra"),
    (lambda d: d.update(sessions={}), "sessions"),
    (lambda d: d["sessions"][1].update(pain=12), "sessions[1].pain"),
    (lambda d: d["sessions"][0]["exercises"][1].update(sets="3"),
     "sessions[0].exercises[1].sets"),
    (lambda d: d["retests"][0].pop("balance_left_s"), "retests[0].balance_left_s"),
    (lambda d: d["runs"][0].update(date="2999-01-01"), "runs[0].date"),
    (lambda d: d["runs"][1].update(id=0), "runs[1].id"),
    (lambda d: d["profile_snapshots"][0]["profile"].update(width="huge"),
     "profile_snapshots[0].profile"),
])
def test_bad_import_names_the_field_and_writes_nothing(journal, tmp_path: Path, mutate,
                                                       field: str) -> None:
    fill(journal)
    data = json.loads(json.dumps(export_json(journal)))
    mutate(data)
    with open_journal(tmp_path / "copy.journal", create=True, today=lambda: TODAY) as copy:
        with pytest.raises(JournalError) as info:
            import_json(copy, data)
        assert str(info.value).startswith(f"{field}:"), str(info.value)
        assert copy.is_empty()


def test_csv_export_one_file_per_table_spreadsheet_safe(journal, tmp_path: Path) -> None:
    fill(journal)
    out = tmp_path / "csv"
    written = export_csv(journal, out)
    assert sorted(p.name for p in written) == sorted(
        ["sessions.csv", "session_exercises.csv", "retests.csv", "runs.csv",
         "profile_snapshots.csv"])
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in written)
    with open(out / "sessions.csv", newline="", encoding="utf-8") as fh:
        sessions = list(csv.DictReader(fh))
    assert [s["pain"] for s in sessions] == ["2", "0"]
    assert sessions[0]["note"] == "'=HYPERLINK(\"x\")"  # never run as a formula
    with open(out / "session_exercises.csv", newline="", encoding="utf-8") as fh:
        ex = list(csv.DictReader(fh))
    assert [(e["exercise_id"], e["load_kg"]) for e in ex] == \
        [("glute_bridge", ""), ("monster_walk", "5.5"), ("glute_bridge", "")]
    with open(out / "runs.csv", newline="", encoding="utf-8") as fh:
        runs = list(csv.DictReader(fh))
    assert [r["pain_next_morning"] for r in runs] == ["", "0"]


def test_csv_export_to_a_file_path_is_refused(journal, tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(JournalError, match="not a folder"):
        export_csv(journal, target)
    assert target.read_text(encoding="utf-8") == "mine"
