"""``gaitkeeper journal …``: exit 0 on success; exit 2 with the field named on stderr and no
traceback on bad input (SPEC §5)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from recommender.cli import main
from recommender.journal import open_journal

ROOT = Path(__file__).resolve().parents[2]


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    code = info.value.code
    return (0 if code is None else int(code)), out, err


def days_ago(n: int) -> str:
    return (date.today() - timedelta(days=n)).isoformat()


def test_init_add_show_export_import_forget(capsys, tmp_path: Path) -> None:
    db = tmp_path / "knee.journal"
    code, _, err = cli(capsys, "journal", "init", "--db", db)
    assert code == 0 and "created a journal" in err and db.exists()
    for n in (1, 2):
        code, _, err = cli(capsys, "journal", "add", "session", "--db", db, "--date", days_ago(n),
                           "--exercise", "glute_bridge:3x15", "--exercise",
                           "monster_walk:2x20@5", "--pain", 2, "--note", "felt fine")
        assert code == 0, err
    code, _, err = cli(capsys, "journal", "add", "retest", "--db", db, "--date", days_ago(1),
                       "--squat-left", "fail", "--squat-right", "pass", "--balance-left", 22,
                       "--balance-right", 35, "--extension-deficit", "none")
    assert code == 0, err
    code, _, err = cli(capsys, "journal", "add", "run", "--db", db, "--km", 5.5,
                       "--pain-during", 2, "--pain-next-morning", 1, "--date", days_ago(0))
    assert code == 0, err

    code, out, _ = cli(capsys, "journal", "show", "--db", db)
    assert code == 0
    assert "balance 22 of 30 s on the weaker leg (left)" in out
    assert "single-leg squat: not yet passed on the left" in out
    assert "monster_walk 2x20@5kg" in out
    code, out, _ = cli(capsys, "journal", "show", "--db", db, "--format", "json")
    shown = json.loads(out)
    assert shown["progress"]["single_leg_squat_ok"] is False
    assert len(shown["recent"]["sessions"]) == 2 and shown["gate"] is None

    exported = tmp_path / "export.json"
    assert cli(capsys, "journal", "export", "--db", db, "--out", exported)[0] == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert len(data["sessions"]) == 2
    assert cli(capsys, "journal", "export", "--db", db, "--out", tmp_path / "csv")[0] == 0
    assert (tmp_path / "csv" / "retests.csv").exists()

    copy = tmp_path / "copy.journal"
    code, _, err = cli(capsys, "journal", "import", "--db", copy, "--in", exported)
    assert code == 2 and "no journal here" in err and not copy.exists()
    code, _, err = cli(capsys, "journal", "import", "--db", copy, "--in", exported, "--create")
    assert code == 0 and "2 sessions" in err
    with open_journal(copy) as j, open_journal(db) as original:
        assert j.rows() == original.rows()

    code, _, err = cli(capsys, "journal", "forget", "--db", db)
    assert code == 2 and "--yes" in err and db.exists()
    code, _, err = cli(capsys, "journal", "forget", "--db", db, "--yes")
    assert code == 0 and not db.exists()
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()


def test_show_with_a_profile_snapshot_shows_the_gate(capsys, tmp_path: Path) -> None:
    db = tmp_path / "j.journal"
    cli(capsys, "journal", "init", "--db", db)
    profile = tmp_path / "me.json"
    profile.write_text(json.dumps({"knee": {"pain": True, "severity": 3}}), encoding="utf-8")
    assert cli(capsys, "journal", "add", "profile", "--db", db, "--profile", profile)[0] == 0
    code, out, _ = cli(capsys, "journal", "show", "--db", db)
    assert code == 0
    assert "Strength gate with your profile" in out and ": locked" in out
    assert "you have not said how many" in out  # no session logged: the profile's own answer
    cli(capsys, "journal", "add", "session", "--db", db, "--exercise", "glute_bridge:3x15",
        "--pain", "1")
    code, out, _ = cli(capsys, "journal", "show", "--db", db)
    assert "(you have 0)" in out  # now the journal's weeks


@pytest.mark.parametrize(("args", "words"), [
    (["add", "session", "--exercise", "glute_bridge:3x15", "--pain", "11"],
     "session.pain: 11 is above the maximum 10"),
    (["add", "session", "--exercise", "glute bridge", "--pain", "2"], "--exercise[0]"),
    (["add", "session", "--exercise", "Glute:3x15", "--pain", "2"],
     "--exercise[0].exercise_id"),
    (["add", "session", "--exercise", "glute_bridge:0x15", "--pain", "2"],
     "--exercise[0].sets"),
    (["add", "session", "--exercise", "glute_bridge:3x15", "--pain", "2", "--date",
      "2026-02-30"], "session.date"),
    (["add", "session", "--exercise", "glute_bridge:3x15", "--pain", "2", "--date",
      (date.today() + timedelta(days=1)).isoformat()], "in the future"),
    (["add", "session", "--exercise", "glute_bridge:3x15", "--pain", "two"], "--pain"),
    (["add", "retest", "--squat-left", "pass", "--squat-right", "maybe", "--balance-left", "3",
      "--balance-right", "4"], "--squat-right"),
    (["add", "retest", "--squat-left", "pass", "--squat-right", "pass", "--balance-left", "700",
      "--balance-right", "4"], "retest.balance_left_s"),
    (["add", "run", "--km", "0", "--pain-during", "1"], "run.km"),
    (["add", "run", "--km", "4", "--pain-during", "1", "--pain-next-morning", "-1"],
     "run.pain_next_morning"),
])
def test_bad_input_exits_2_naming_the_field(capsys, tmp_path: Path, args: list[str],
                                            words: str) -> None:
    db = tmp_path / "j.journal"
    cli(capsys, "journal", "init", "--db", db)
    code, _, err = cli(capsys, "journal", *args[:2], "--db", db, *args[2:])
    assert code == 2
    assert words in err, err
    with open_journal(db) as j:
        assert j.is_empty()


def test_files_that_are_not_journals_exit_2_unchanged(capsys, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("my notes\n", encoding="utf-8")
    for args in (["show", "--db", text], ["init", "--db", text], ["forget", "--db", text, "--yes"],
                 ["add", "run", "--db", text, "--km", "3", "--pain-during", "0"]):
        code, _, err = cli(capsys, "journal", *args)
        assert code == 2 and str(text) in err and "not a gaitkeeper journal" in err
    assert text.read_text(encoding="utf-8") == "my notes\n"
    missing = tmp_path / "missing.journal"
    code, _, err = cli(capsys, "journal", "show", "--db", missing)
    assert code == 2 and "no journal here" in err and not missing.exists()


def test_bad_import_file_exits_2(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    db = tmp_path / "j.journal"
    code, _, err = cli(capsys, "journal", "import", "--db", db, "--in", bad, "--create")
    assert code == 2 and "--in" in err


def test_subprocess_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    db = tmp_path / "j.journal"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([sys.executable, "-m", "recommender", "journal", *args],
                              capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
        assert "Traceback" not in proc.stderr + proc.stdout
        return proc

    assert run("init", "--db", str(db)).returncode == 0
    ok = run("add", "session", "--db", str(db), "--exercise", "core_program:1x10", "--pain", "1")
    assert ok.returncode == 0, ok.stderr
    bad = run("add", "session", "--db", str(db), "--exercise", "core_program:1x10",
              "--pain", "12")
    assert bad.returncode == 2 and "session.pain" in bad.stderr and bad.stdout == ""
    shown = run("show", "--db", str(db))
    assert shown.returncode == 0 and "this week: 1 of 2 sessions logged" in shown.stdout
