"""The journal file: creation only on request, migrations, refusal of anything that is not a
journal (with its bytes unchanged), validation naming the field, transactions, concurrency,
and forgetting."""

from __future__ import annotations

import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from recommender import GaitkeeperError
from recommender.journal import (
    SCHEMA_VERSION,
    JournalError,
    SessionExercise,
    forget,
    open_journal,
)
from recommender.journal.store import APPLICATION_ID

from .helpers import TODAY

BRIDGE = {"exercise_id": "glute_bridge", "sets": 3, "reps": 15}


def companions(path: Path) -> list[Path]:
    return [Path(f"{path}{s}") for s in ("-wal", "-shm", "-journal")]


# ----------------------------------------------------------------------------- creation
def test_missing_path_is_an_error_and_nothing_is_created(db_path: Path) -> None:
    with pytest.raises(JournalError, match="no journal here") as info:
        open_journal(db_path)
    assert str(db_path) in str(info.value)
    assert isinstance(info.value, GaitkeeperError)
    assert not db_path.exists()
    assert not any(p.exists() for p in companions(db_path))


def test_create_from_nothing_migrates_to_the_current_schema(db_path: Path) -> None:
    with open_journal(db_path, create=True) as j:
        assert j.schema_version == SCHEMA_VERSION == 2
        assert j.is_empty()
    raw = sqlite3.connect(db_path)
    try:
        assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        raw.close()
    assert {"sessions", "session_exercises", "retests", "runs", "profile_snapshots"} <= tables


def test_create_in_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "j.sqlite"
    with pytest.raises(JournalError, match="does not exist"):
        open_journal(target, create=True)
    assert not target.parent.exists()


def test_create_true_on_an_existing_journal_keeps_its_data(db_path: Path) -> None:
    with open_journal(db_path, create=True, today=lambda: TODAY) as j:
        j.add_session(date=TODAY, pain=1, exercises=[BRIDGE])
    with open_journal(db_path, create=True, today=lambda: TODAY) as j:
        assert len(j.sessions()) == 1


def test_connection_settings(journal) -> None:
    with journal.transaction() as conn:
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_foreign_keys_are_enforced(journal) -> None:
    with pytest.raises(JournalError, match="FOREIGN KEY"), journal.transaction() as conn:
        conn.execute("INSERT INTO session_exercises (session_id, exercise_id, sets, reps) "
                     "VALUES (999, 'glute_bridge', 3, 15)")
    assert journal.sessions() == ()


def test_a_failed_transaction_leaves_nothing(journal) -> None:
    with pytest.raises(RuntimeError), journal.transaction() as conn:
        conn.execute("INSERT INTO sessions (date, pain) VALUES ('2026-12-01', 3)")
        raise RuntimeError("interrupted")
    assert journal.is_empty()


# --------------------------------------------------------------------------- migrations
V1_SCHEMA = (
    "CREATE TABLE sessions (id INTEGER PRIMARY KEY, date TEXT NOT NULL, note TEXT, "
    "pain INTEGER NOT NULL)",
    "CREATE TABLE session_exercises (id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL "
    "REFERENCES sessions(id) ON DELETE CASCADE, exercise_id TEXT NOT NULL, sets INTEGER NOT NULL,"
    " reps INTEGER NOT NULL, load_kg REAL)",
    "CREATE TABLE retests (id INTEGER PRIMARY KEY, date TEXT NOT NULL, squat_left_ok INTEGER "
    "NOT NULL, squat_right_ok INTEGER NOT NULL, balance_left_s REAL NOT NULL, "
    "balance_right_s REAL NOT NULL)",
    "CREATE TABLE profile_snapshots (id INTEGER PRIMARY KEY, date TEXT NOT NULL, "
    "profile_json TEXT NOT NULL)",
)


def write_v1(path: Path) -> None:
    """A version-1 journal written by hand, as an older gaitkeeper left it (no runs table,
    no extension deficit at re-tests)."""
    raw = sqlite3.connect(path)
    try:
        raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        for stmt in V1_SCHEMA:
            raw.execute(stmt)
        raw.execute("INSERT INTO sessions (id, date, note, pain) VALUES (7, '2026-11-30', "
                    "'first one', 3)")
        raw.execute("INSERT INTO session_exercises (session_id, exercise_id, sets, reps, "
                    "load_kg) VALUES (7, 'monster_walk', 2, 20, 5.0)")
        raw.execute("INSERT INTO retests (date, squat_left_ok, squat_right_ok, balance_left_s, "
                    "balance_right_s) VALUES ('2026-12-01', 0, 1, 22.5, 35)")
        raw.execute("PRAGMA user_version = 1")
        raw.commit()
    finally:
        raw.close()


def test_migration_from_version_1_keeps_the_data(db_path: Path) -> None:
    write_v1(db_path)
    with open_journal(db_path, today=lambda: TODAY) as j:
        assert j.schema_version == 2
        (s,) = j.sessions()
        assert (s.id, s.date.isoformat(), s.pain, s.note) == (7, "2026-11-30", 3, "first one")
        assert s.exercises == (SessionExercise("monster_walk", 2, 20, 5.0),)
        (r,) = j.retests()
        assert (r.squat_left_ok, r.squat_right_ok, r.balance_left_s) == (False, True, 22.5)
        assert r.extension_deficit is None  # not recorded by version 1: unknown
        # the tables of version 2 work
        j.add_run(date=TODAY, km=5, pain_during=2, pain_next_morning=1)
        j.add_retest(date=TODAY, squat_left_ok=True, squat_right_ok=True, balance_left_s=31,
                     balance_right_s=33, extension_deficit="left")
        assert [r.extension_deficit for r in j.retests()] == [None, "left"]
    with open_journal(db_path) as j:  # reopening is a no-op
        assert j.schema_version == 2 and len(j.runs()) == 1


def test_a_journal_from_a_newer_gaitkeeper_is_refused_unchanged(db_path: Path) -> None:
    open_journal(db_path, create=True).close()
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA user_version = 99")
    raw.commit()
    raw.close()
    before = db_path.read_bytes()
    with pytest.raises(JournalError, match="newer gaitkeeper"):
        open_journal(db_path)
    assert db_path.read_bytes() == before


# ------------------------------------------------------------ files that are not journals
def _foreign_sqlite(path: Path) -> None:
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    raw.execute("INSERT INTO contacts VALUES ('Ann', '555')")
    raw.commit()
    raw.close()


def _corrupt_journal(path: Path) -> None:
    with open_journal(path, create=True, today=lambda: TODAY) as j:
        for i in range(5):
            j.add_session(date=TODAY - timedelta(days=i), pain=2, exercises=[BRIDGE])
    data = bytearray(path.read_bytes())
    assert len(data) >= 3 * 4096
    data[4096:3 * 4096] = bytes((i * 37 + 11) % 256 for i in range(2 * 4096))
    path.write_bytes(bytes(data))


def _garbled_header(path: Path) -> None:
    path.write_bytes(bytes((i * 91 + 7) % 256 for i in range(8192)))


@pytest.mark.parametrize(("make", "why"), [
    (_foreign_sqlite, "another program"),
    (_corrupt_journal, "damaged|unreadable"),
    (_garbled_header, "not an SQLite database"),
    (lambda p: p.write_text("date,pain\n2026-12-01,3\n", encoding="utf-8"), "not an SQLite"),
    (lambda p: p.write_bytes(b""), "an empty file"),
], ids=["foreign-sqlite", "corrupt-journal", "garbled-header", "text-file", "empty-file"])
@pytest.mark.parametrize("create", [False, True])
def test_not_a_journal_is_refused_and_left_unchanged(db_path: Path, make, why: str,
                                                     create: bool) -> None:
    make(db_path)
    before = db_path.read_bytes()
    with pytest.raises(JournalError, match=why) as info:
        open_journal(db_path, create=create)
    assert str(db_path) in str(info.value)
    assert "left unchanged" in str(info.value)
    assert db_path.read_bytes() == before
    if make is _corrupt_journal:
        # a damaged journal is still the runner's own (it carries our mark): it can be forgotten
        forget(db_path)
        assert not db_path.exists()
        return
    # anything else is refused by forget too: nothing of someone else's is deleted
    with pytest.raises(JournalError, match="not a gaitkeeper journal"):
        forget(db_path)
    assert db_path.read_bytes() == before


def test_a_folder_is_not_a_journal(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="not a regular file"):
        open_journal(tmp_path)


# ---------------------------------------------------------------------------- validation
SESSION = {"date": "2026-12-01", "pain": 3, "exercises": [BRIDGE]}


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"pain": 11}, "session.pain", "above the maximum 10"),
    ({"pain": -1}, "session.pain", "below the minimum 0"),
    ({"pain": 2.5}, "session.pain", "whole number"),
    ({"pain": True}, "session.pain", "expected a number"),
    ({"date": "2026-13-01"}, "session.date", "not a calendar date"),
    ({"date": "01/12/2026"}, "session.date", "YYYY-MM-DD"),
    ({"date": "2026-12-10"}, "session.date", "in the future"),
    ({"exercises": []}, "session.exercises", "at least one"),
    ({"exercises": [{**BRIDGE, "exercise_id": "Glute Bridge"}]},
     "session.exercises[0].exercise_id", "not an exercise id"),
    ({"exercises": [BRIDGE, {**BRIDGE, "sets": 0}]}, "session.exercises[1].sets", "minimum 1"),
    ({"exercises": [{**BRIDGE, "reps": 201}]}, "session.exercises[0].reps", "maximum 200"),
    ({"exercises": [{**BRIDGE, "load_kg": -2}]}, "session.exercises[0].load_kg", "minimum 0"),
    ({"exercises": [{**BRIDGE, "weight": 2}]}, "session.exercises[0].weight", "unknown field"),
    ({"note": "x" * 501}, "session.note", "at most 500"),
])
def test_session_values_are_checked_and_named(journal, changes, field, words) -> None:
    with pytest.raises(JournalError, match=words) as info:
        journal.add_session(**{**SESSION, **changes})
    assert str(info.value).startswith(f"{field}: ")
    assert journal.is_empty()


def test_retest_run_and_snapshot_values_are_checked_and_named(journal) -> None:
    ok = {"date": "2026-12-01", "squat_left_ok": True, "squat_right_ok": False,
          "balance_left_s": 20, "balance_right_s": 31}
    cases = [
        (lambda: journal.add_retest(**{**ok, "balance_left_s": 601}), "retest.balance_left_s"),
        (lambda: journal.add_retest(**{**ok, "squat_right_ok": "yes"}), "retest.squat_right_ok"),
        (lambda: journal.add_retest(**ok, extension_deficit="maybe"), "retest.extension_deficit"),
        (lambda: journal.add_run(date="2026-12-01", km=0, pain_during=1), "run.km"),
        (lambda: journal.add_run(date="2026-12-01", km=301, pain_during=1), "run.km"),
        (lambda: journal.add_run(date="2026-12-01", km=5, pain_during=1, pain_next_morning=11),
         "run.pain_next_morning"),
        (lambda: journal.add_run(date="2026-12-31", km=5, pain_during=1), "run.date"),
        (lambda: journal.add_profile_snapshot(date="2026-12-01",
                                              profile={"knee": {"severity": 11}}),
         "profile_snapshot.profile: knee.severity"),
    ]
    for call, field in cases:
        with pytest.raises(JournalError) as info:
            call()
        assert str(info.value).startswith(f"{field}"), (field, str(info.value))
    assert journal.is_empty()
    journal.add_retest(**ok, extension_deficit="none")
    assert journal.retests()[0].balance_left_s == 20.0


def test_profile_snapshot_is_kept_as_json(journal) -> None:
    journal.add_profile_snapshot(date=TODAY, profile={"knee": {"pain": True, "severity": 4}})
    (snap,) = journal.snapshots()
    assert snap.profile == {"knee": {"pain": True, "severity": 4}}


# --------------------------------------------------------------------------- concurrency
def test_two_connections_writing_at_once_both_succeed(db_path: Path) -> None:
    open_journal(db_path, create=True).close()
    start = threading.Barrier(2)
    errors: list[BaseException] = []
    per_thread = 40

    def writer(pain: int) -> None:
        try:
            with open_journal(db_path, today=lambda: TODAY) as j:
                start.wait()
                for _ in range(per_thread):
                    j.add_session(date=TODAY, pain=pain, exercises=[BRIDGE])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(p,)) for p in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with open_journal(db_path) as j:
        pains = [s.pain for s in j.sessions()]
    assert sorted(pains) == [1] * per_thread + [2] * per_thread


def test_a_writer_waits_for_a_held_write_lock(db_path: Path) -> None:
    open_journal(db_path, create=True).close()
    holder = open_journal(db_path, today=lambda: TODAY)
    done = threading.Event()
    result: list[object] = []

    def second() -> None:
        with open_journal(db_path, today=lambda: TODAY) as j:
            result.append(j.add_session(date=TODAY, pain=4, exercises=[BRIDGE]))
        done.set()

    with holder.transaction() as conn:
        conn.execute("INSERT INTO sessions (date, pain) VALUES ('2026-12-08', 1)")
        t = threading.Thread(target=second)
        t.start()
        assert not done.wait(0.5)  # blocked by our BEGIN IMMEDIATE, not failed
    t.join(30)
    holder.close()
    assert done.is_set() and len(result) == 1
    with open_journal(db_path) as j:
        assert [s.pain for s in j.sessions()] == [1, 4]


# -------------------------------------------------------------------------------- forget
def test_forget_removes_the_file_and_its_companions(db_path: Path) -> None:
    j = open_journal(db_path, create=True, today=lambda: TODAY)
    j.add_session(date=TODAY, pain=1, exercises=[BRIDGE])
    assert Path(f"{db_path}-wal").exists()  # open in WAL mode
    removed = forget(db_path)
    j.close()
    assert db_path in removed and Path(f"{db_path}-wal") in removed
    assert not db_path.exists()
    assert not any(p.exists() for p in companions(db_path))
    with pytest.raises(JournalError, match="no journal here"):
        forget(db_path)
