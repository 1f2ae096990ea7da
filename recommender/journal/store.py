"""The journal file: an embedded SQLite database on the runner's own machine (SPEC §7.5).

- Created only on request (``open_journal(path, create=True)``); a missing path is an error.
- Marked as a gaitkeeper journal by ``PRAGMA application_id``; a file without the mark (a
  text file, another program's SQLite database, a corrupt file) raises :class:`JournalError`
  naming the path and is never written to.
- The schema is versioned with ``PRAGMA user_version`` and migrated forward in a
  transaction (:data:`MIGRATIONS`); a file from a newer gaitkeeper is refused.
- WAL journal, foreign keys on, a busy timeout, and every write in ``BEGIN IMMEDIATE``, so
  two processes can write at once: the second waits for the first.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .records import (
    JournalError,
    JournalRows,
    ProfileSnapshot,
    Retest,
    Run,
    Session,
    SessionExercise,
    check_retest,
    check_run,
    check_session,
    check_snapshot,
)

#: ``PRAGMA application_id`` of a gaitkeeper journal: "gkjn" in ASCII.
APPLICATION_ID = 0x676B6A6E
_SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 10.0

_DATE_CHECK = "CHECK ({col} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')"

#: MIGRATIONS[i] brings a journal from schema version i to i + 1, statement by statement.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: sessions with their exercises, re-tests, profile snapshots
        f"""CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            date TEXT NOT NULL {_DATE_CHECK.format(col="date")},
            note TEXT,
            pain INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10))""",
        """CREATE TABLE session_exercises (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            exercise_id TEXT NOT NULL CHECK (length(exercise_id) BETWEEN 1 AND 64),
            sets INTEGER NOT NULL CHECK (sets BETWEEN 1 AND 20),
            reps INTEGER NOT NULL CHECK (reps BETWEEN 1 AND 200),
            load_kg REAL CHECK (load_kg IS NULL OR load_kg BETWEEN 0 AND 500))""",
        "CREATE INDEX session_exercises_session ON session_exercises(session_id)",
        f"""CREATE TABLE retests (
            id INTEGER PRIMARY KEY,
            date TEXT NOT NULL {_DATE_CHECK.format(col="date")},
            squat_left_ok INTEGER NOT NULL CHECK (squat_left_ok IN (0, 1)),
            squat_right_ok INTEGER NOT NULL CHECK (squat_right_ok IN (0, 1)),
            balance_left_s REAL NOT NULL CHECK (balance_left_s BETWEEN 0 AND 600),
            balance_right_s REAL NOT NULL CHECK (balance_right_s BETWEEN 0 AND 600))""",
        f"""CREATE TABLE profile_snapshots (
            id INTEGER PRIMARY KEY,
            date TEXT NOT NULL {_DATE_CHECK.format(col="date")},
            profile_json TEXT NOT NULL CHECK (json_valid(profile_json)))""",
    ),
    (  # 2: runs with pain during and the next morning; knee extension deficit at re-tests
        f"""CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            date TEXT NOT NULL {_DATE_CHECK.format(col="date")},
            km REAL NOT NULL CHECK (km > 0 AND km <= 300),
            pain_during INTEGER NOT NULL CHECK (pain_during BETWEEN 0 AND 10),
            pain_next_morning INTEGER
                CHECK (pain_next_morning IS NULL OR pain_next_morning BETWEEN 0 AND 10))""",
        """ALTER TABLE retests ADD COLUMN extension_deficit TEXT
            CHECK (extension_deficit IS NULL
                   OR extension_deficit IN ('none', 'left', 'right', 'both'))""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
TABLES = ("sessions", "session_exercises", "retests", "runs", "profile_snapshots")


def _not_a_journal(path: Path, why: str) -> JournalError:
    return JournalError(f"{path}: not a gaitkeeper journal ({why}); the file was left unchanged",
                        path=str(path))


def probe(path: Path) -> None:
    """Raise :class:`JournalError` unless ``path`` is a file that starts like a gaitkeeper
    journal. Only reads the 100-byte SQLite header; never opens the file for writing."""
    if not path.exists():
        raise JournalError(f"{path}: no journal here (create one with create=True / "
                           "`gaitkeeper journal init`)", path=str(path))
    if not path.is_file():
        raise _not_a_journal(path, "not a regular file")
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise JournalError(f"{path}: cannot read ({exc.strerror or exc})", path=str(path)) from None
    if len(head) < 100 or not head.startswith(_SQLITE_MAGIC):
        raise _not_a_journal(path, "not an SQLite database" if head else "an empty file")
    if int.from_bytes(head[68:72], "big") != APPLICATION_ID:
        raise _not_a_journal(path, "an SQLite database of another program")


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    uri = f"file:{quote(str(path.resolve()))}?mode={mode}"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                           check_same_thread=True)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class Journal:
    """An open journal. Use :func:`open_journal`; close it (or use ``with``)."""

    def __init__(self, path: Path, conn: sqlite3.Connection,
                 today: Callable[[], date] = date.today):
        self.path = path
        self._conn = conn
        self._today = today

    # -------------------------------------------------------------------- plumbing
    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    def today(self) -> date:
        return self._today()

    @property
    def schema_version(self) -> int:
        return int(self._read("PRAGMA user_version")[0][0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        try:
            yield self._conn
        except BaseException as exc:
            self._conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise self._error(exc) from None
            raise
        else:
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._conn.execute("ROLLBACK")
                raise self._error(exc) from None

    def _error(self, exc: sqlite3.Error) -> JournalError:
        return JournalError(f"{self.path}: {exc}", path=str(self.path))

    def _read(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._conn.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    # ---------------------------------------------------------------------- writes
    def add_session(self, *, date: Any, pain: Any, exercises: Sequence[Any],
                    note: Any = None) -> int:
        s = check_session(date=date, pain=pain, exercises=exercises, note=note,
                          today=self.today())
        with self.transaction():
            return self._insert_session(s)

    def add_retest(self, *, date: Any, squat_left_ok: Any, squat_right_ok: Any,
                   balance_left_s: Any, balance_right_s: Any,
                   extension_deficit: Any = None) -> int:
        r = check_retest(date=date, squat_left_ok=squat_left_ok, squat_right_ok=squat_right_ok,
                         balance_left_s=balance_left_s, balance_right_s=balance_right_s,
                         extension_deficit=extension_deficit, today=self.today())
        with self.transaction():
            return self._insert_retest(r)

    def add_run(self, *, date: Any, km: Any, pain_during: Any,
                pain_next_morning: Any = None) -> int:
        r = check_run(date=date, km=km, pain_during=pain_during,
                      pain_next_morning=pain_next_morning, today=self.today())
        with self.transaction():
            return self._insert_run(r)

    def add_profile_snapshot(self, *, date: Any, profile: Any) -> int:
        snap = check_snapshot(date=date, profile=profile, today=self.today())
        with self.transaction():
            return self._insert_snapshot(snap)

    # inserts inside an open transaction (also used by import); ``id`` kept when given
    def _insert_session(self, s: Session) -> int:
        cur = self._conn.execute("INSERT INTO sessions (id, date, note, pain) VALUES (?, ?, ?, ?)",
                                 (s.id, s.date.isoformat(), s.note, s.pain))
        sid = int(cur.lastrowid or 0)
        self._conn.executemany(
            "INSERT INTO session_exercises (session_id, exercise_id, sets, reps, load_kg) "
            "VALUES (?, ?, ?, ?, ?)",
            [(sid, e.exercise_id, e.sets, e.reps, e.load_kg) for e in s.exercises])
        return sid

    def _insert_retest(self, r: Retest) -> int:
        cur = self._conn.execute(
            "INSERT INTO retests (id, date, squat_left_ok, squat_right_ok, balance_left_s, "
            "balance_right_s, extension_deficit) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (r.id, r.date.isoformat(), int(r.squat_left_ok), int(r.squat_right_ok),
             r.balance_left_s, r.balance_right_s, r.extension_deficit))
        return int(cur.lastrowid or 0)

    def _insert_run(self, r: Run) -> int:
        cur = self._conn.execute(
            "INSERT INTO runs (id, date, km, pain_during, pain_next_morning) "
            "VALUES (?, ?, ?, ?, ?)",
            (r.id, r.date.isoformat(), r.km, r.pain_during, r.pain_next_morning))
        return int(cur.lastrowid or 0)

    def _insert_snapshot(self, s: ProfileSnapshot) -> int:
        cur = self._conn.execute(
            "INSERT INTO profile_snapshots (id, date, profile_json) VALUES (?, ?, ?)",
            (s.id, s.date.isoformat(), json.dumps(s.profile, ensure_ascii=False,
                                                  sort_keys=True)))
        return int(cur.lastrowid or 0)

    # ----------------------------------------------------------------------- reads
    def sessions(self) -> tuple[Session, ...]:
        exercises: dict[int, list[SessionExercise]] = {}
        for sid, eid, sets, reps, kg in self._read(
                "SELECT session_id, exercise_id, sets, reps, load_kg FROM session_exercises "
                "ORDER BY id"):
            exercises.setdefault(sid, []).append(SessionExercise(eid, sets, reps, kg))
        return tuple(Session(date=date.fromisoformat(d), pain=pain,
                             exercises=tuple(exercises.get(sid, ())), note=note, id=sid)
                     for sid, d, note, pain in self._read(
                         "SELECT id, date, note, pain FROM sessions ORDER BY date, id"))

    def retests(self) -> tuple[Retest, ...]:
        return tuple(Retest(date=date.fromisoformat(d), squat_left_ok=bool(sl),
                            squat_right_ok=bool(sr), balance_left_s=bl, balance_right_s=br,
                            extension_deficit=ext, id=rid)
                     for rid, d, sl, sr, bl, br, ext in self._read(
                         "SELECT id, date, squat_left_ok, squat_right_ok, balance_left_s, "
                         "balance_right_s, extension_deficit FROM retests ORDER BY date, id"))

    def runs(self) -> tuple[Run, ...]:
        return tuple(Run(date=date.fromisoformat(d), km=km, pain_during=pd,
                         pain_next_morning=pn, id=rid)
                     for rid, d, km, pd, pn in self._read(
                         "SELECT id, date, km, pain_during, pain_next_morning FROM runs "
                         "ORDER BY date, id"))

    def snapshots(self) -> tuple[ProfileSnapshot, ...]:
        return tuple(ProfileSnapshot(date=date.fromisoformat(d), profile=json.loads(text),
                                     id=sid)
                     for sid, d, text in self._read(
                         "SELECT id, date, profile_json FROM profile_snapshots "
                         "ORDER BY date, id"))

    def rows(self) -> JournalRows:
        """Everything, read in one transaction so the tables agree with each other."""
        self._read("BEGIN")
        try:
            return JournalRows(self.sessions(), self.retests(), self.runs(), self.snapshots())
        finally:
            self._read("COMMIT")

    def is_empty(self) -> bool:
        return all(self._read(f"SELECT count(*) FROM {t}")[0][0] == 0 for t in TABLES)


# ------------------------------------------------------------------- open / create
def _migrate(conn: sqlite3.Connection) -> None:
    """Apply the missing migrations in one ``BEGIN IMMEDIATE`` transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for step in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[step]:
                conn.execute(statement)
        if version < SCHEMA_VERSION:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _create(path: Path) -> sqlite3.Connection:
    if not path.parent.is_dir():
        raise JournalError(f"{path}: the folder {path.parent} does not exist", path=str(path))
    try:
        conn = _connect(path, "rwc")
    except sqlite3.Error as exc:
        raise JournalError(f"{path}: cannot create ({exc})", path=str(path)) from None
    try:
        # the mark and the schema are written before WAL is switched on, so the file's own
        # header carries the application id from the start
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("COMMIT")
        _migrate(conn)
        conn.execute("PRAGMA journal_mode = WAL")
    except BaseException:
        conn.close()
        for p in _files(path):
            p.unlink(missing_ok=True)
        raise
    return conn


def _open_existing(path: Path) -> sqlite3.Connection:
    probe(path)
    try:
        conn = _connect(path, "rw")
    except sqlite3.Error as exc:
        raise JournalError(f"{path}: cannot open ({exc})", path=str(path)) from None
    try:
        # read-only checks first: nothing is written to a file that fails them
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise JournalError(f"{path}: journal schema version {version} was written by a "
                               f"newer gaitkeeper (this one reads up to {SCHEMA_VERSION}); "
                               "the file was left unchanged", path=str(path))
        problems = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise _not_a_journal(path, f"damaged: {problems[0]}")
        conn.execute("PRAGMA journal_mode = WAL")
        _migrate(conn)
        missing = set(TABLES) - {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if missing:
            raise _not_a_journal(path, f"tables missing: {', '.join(sorted(missing))}")
    except sqlite3.OperationalError as exc:  # locked, read-only folder…: not the file's fault
        conn.close()
        raise JournalError(f"{path}: cannot open ({exc})", path=str(path)) from None
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _not_a_journal(path, f"unreadable: {exc}") from None
    except BaseException:
        conn.close()
        raise
    return conn


def open_journal(path: str | os.PathLike[str], *, create: bool = False,
                 today: Callable[[], date] = date.today) -> Journal:
    """Open the journal at ``path``, migrating it to :data:`SCHEMA_VERSION`.

    ``create=True`` creates it when the file does not exist (an existing file is opened,
    never replaced). ``today`` is the clock for "not in the future" checks.
    """
    p = Path(path).expanduser()
    if not p.exists() and not p.is_symlink():
        if not create:
            raise JournalError(f"{p}: no journal here (create one with create=True / "
                               "`gaitkeeper journal init`)", path=str(p))
        return Journal(p, _create(p), today)
    return Journal(p, _open_existing(p), today)


def _files(path: Path) -> tuple[Path, ...]:
    return (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal"))


def forget(path: str | os.PathLike[str]) -> list[Path]:
    """Delete the journal at ``path`` with its ``-wal`` / ``-shm`` companions and check they
    are gone; returns the files deleted. A file that is not a gaitkeeper journal is refused
    and left alone."""
    p = Path(path).expanduser()
    if p.exists():
        probe(p)
    elif not any(f.exists() for f in _files(p)):
        raise JournalError(f"{p}: no journal here", path=str(p))
    removed = []
    for f in _files(p):
        if f.exists():
            try:
                f.unlink()
            except OSError as exc:
                raise JournalError(f"{f}: could not delete ({exc.strerror or exc})",
                                   path=str(f)) from None
            removed.append(f)
    left = [f for f in _files(p) if f.exists()]
    if left:
        raise JournalError(f"{p}: still present after deleting: {', '.join(map(str, left))}",
                           path=str(p))
    return removed
