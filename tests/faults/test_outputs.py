"""Outputs (issues 18 and 19): never over an input, checked before anything is read, all
together or not at all (also on a late failure, a full disk or two runs at once), the
umask honoured, spreadsheet-safe, naming the file the user knows."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import stat
import subprocess
import threading
import time
from pathlib import Path

import polars as pl
import pytest

from recommender.batch import run as batch_run
from recommender.batch import score_inventory, score_inventory_files
from recommender.errors import GaitkeeperError
from recommender.io import write as io_write

from .conftest import (
    GK,
    INVENTORY,
    PERMISSIONS_APPLY,
    gk,
    leftovers,
    read_text_frame,
    score_args,
)

SIDES = (".rejects.csv", ".coverage.csv", ".unmatched.csv")


def _outputs(out: Path) -> list[Path]:
    return [out, *(Path(str(out) + s) for s in SIDES)]


def _old_outputs(out: Path) -> dict[Path, bytes]:
    old = {p: f"yesterday {p.name}".encode() for p in _outputs(out)}
    for p, b in old.items():
        p.write_bytes(b)
    return old


def _clean(done) -> None:
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr


# -------------------------------------------------------------- output is an input (19.2)
@pytest.mark.parametrize("which", ["inventory", "runners", "catalog", "symlink", "hardlink",
                                   "side-rejects", "side-coverage"])
def test_output_that_is_an_input_is_refused(tmp_path: Path, runners_small: Path,
                                            which: str) -> None:
    inv = tmp_path / "inv.csv"
    shutil.copy(INVENTORY, inv)
    runners = tmp_path / "runners.csv"
    shutil.copy(runners_small, runners)
    catalog = tmp_path / "shoes.csv"
    from recommender.catalog import DEFAULT_CATALOG

    shutil.copy(DEFAULT_CATALOG, catalog)
    out = {"inventory": inv, "runners": runners, "catalog": catalog.with_suffix(".csv")}.get(which)
    if which == "symlink":
        out = tmp_path / "link.csv"
        out.symlink_to(runners)
    elif which == "hardlink":
        out = tmp_path / "hard.csv"
        os.link(runners, out)
    elif which.startswith("side-"):
        out = tmp_path / "o.csv"
        side = Path(str(out) + f".{which[5:]}.csv")
        shutil.copy(runners, side)
        runners = side
    before = {p: p.read_bytes() for p in (inv, runners, catalog)}
    done = gk(*score_args(runners, out, "--catalog", catalog, inventory=inv))
    assert done.returncode == 2 and "input" in done.stderr, done.stderr
    _clean(done)
    assert {p: p.read_bytes() for p in before} == before
    assert leftovers(tmp_path) == []


def test_bad_output_is_refused_before_any_input_is_read(tmp_path: Path, runners_small: Path,
                                                        monkeypatch) -> None:
    """A directory, a missing directory or a read-only output: exit 2 before reading."""
    def never(*a, **k):
        raise AssertionError("the inputs were read before the output was checked")

    monkeypatch.setattr(batch_run, "_Run", never)
    (tmp_path / "dir.csv").mkdir()
    ro = tmp_path / "ro.csv"
    ro.write_text("keep")
    ro.chmod(0o444)
    for out, words in ((tmp_path / "dir.csv", "directory"),
                       (tmp_path / "nope" / "o.csv", "does not exist"),
                       (ro, "read-only")):
        with pytest.raises(GaitkeeperError, match=words):
            score_inventory_files(INVENTORY, runners_small, out)
    assert ro.read_text() == "keep"


def test_read_only_directory_exits_2_before_reading(tmp_path: Path,
                                                     runners_small: Path) -> None:
    """Once exit 1 "internal error … report it" after reading everything."""
    if PERMISSIONS_APPLY and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: permissions do not apply")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    done = gk(*score_args(runners_small, locked / "o.csv"), prefix=PERMISSIONS_APPLY)
    assert done.returncode == 2 and "not writable" in done.stderr, done.stderr
    _clean(done)
    assert list(locked.iterdir()) == []


def test_symlinked_output_is_written_through(tmp_path: Path, runners_small: Path) -> None:
    """Decision: an output that is a symbolic link (not to an input) is written through:
    its target gets the new content atomically; the link stays."""
    real = tmp_path / "real" / "o.csv"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "o.csv"
    link.symlink_to(real)
    done = gk(*score_args(runners_small, link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and real.read_text().startswith("runner_id,rank")
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


# ----------------------------------------------------- all together or none (19.3, 18)
@pytest.mark.parametrize("fail_at", ["last-rename", "coverage-write"])
def test_late_failure_leaves_every_old_output(tmp_path: Path, runners_small: Path,
                                              monkeypatch, fail_at: str) -> None:
    out = tmp_path / "o.csv"
    old = _old_outputs(out)
    if fail_at == "last-rename":
        real_replace = io_write._replace
        calls = []

        def replace(tmp, target):
            calls.append(target)
            if len(calls) == 4:
                raise OSError(5, "Input/output error")
            real_replace(tmp, target)

        monkeypatch.setattr(io_write, "_replace", replace)
    else:
        real_write = io_write.StagedOutputs.write_csv

        def write_csv(self, frame, target):
            if str(target).endswith(".coverage.csv"):
                raise OSError(5, "Input/output error")
            real_write(self, frame, target)

        monkeypatch.setattr(io_write.StagedOutputs, "write_csv", write_csv)
    with pytest.raises(OSError):
        score_inventory_files(INVENTORY, runners_small, out)
    assert {p: p.read_bytes() for p in old} == old
    assert leftovers(tmp_path) == []


def test_two_runs_on_one_output_never_mix(tmp_path: Path) -> None:
    """Two runs writing the same --out at once: the outputs are all from one run."""
    from recommender.io import write_table
    from recommender.synth import synth_runners

    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    for path, tag, seed in ((a, "a-", 1), (b, "b-", 2)):
        write_table(synth_runners(4000, seed).with_columns(
            (pl.lit(tag) + pl.col("runner_id")).alias("runner_id")), path)
    out = tmp_path / "o.csv"
    for _ in range(2):
        procs = [subprocess.Popen([*GK, *map(str, score_args(r, out))], stderr=subprocess.PIPE)
                 for r in (a, b)]
        assert [p.wait(timeout=300) for p in procs] == [0, 0]
        scored = read_text_frame(out)["runner_id"].str.slice(0, 2).unique().to_list()
        unmatched = read_text_frame(Path(str(out) + ".unmatched.csv"))["runner_id"]
        assert len(scored) == 1
        assert set(unmatched.str.slice(0, 2)) <= set(scored)
        assert leftovers(tmp_path) == []


def test_commits_take_turns(tmp_path: Path, monkeypatch) -> None:
    """The renames of one run hold a lock on the directory: a second commit that starts
    meanwhile waits, so the outputs never end up half from each run."""
    real_replace = io_write._replace

    def slow(tmp, target):
        real_replace(tmp, target)
        time.sleep(0.05)

    monkeypatch.setattr(io_write, "_replace", slow)
    names = [tmp_path / f"f{i}.csv" for i in range(4)]

    def run(tag: str) -> None:
        with io_write.StagedOutputs() as staged:
            for n in names:
                staged.add(n).write_text(tag)

    threads = [threading.Thread(target=run, args=(t,)) for t in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({n.read_text() for n in names}) == 1
    assert leftovers(tmp_path) == []


# -------------------------------------------------------------------- full disk (19.6)
def _fsize_limit(nbytes: int):
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))
    return limit


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_full_disk_exits_2_naming_the_file(tmp_path: Path, runners_big: Path,
                                           fmt: str) -> None:
    """``ulimit -f`` stands for a full disk (EFBIG as ENOSPC): exit 2 "no space left
    writing <file>", old outputs intact, no temporary file."""
    out = tmp_path / f"o.{fmt}"
    old = _old_outputs(out)
    done = gk(*score_args(runners_big, out), preexec=_fsize_limit(200_000))
    assert done.returncode == 2, done.stderr
    assert "no space left writing" in done.stderr and str(out) in done.stderr
    _clean(done)
    assert {p: p.read_bytes() for p in old} == old
    assert leftovers(tmp_path) == []


def test_enospc_in_process(tmp_path: Path, runners_small: Path, monkeypatch) -> None:
    import errno

    out = tmp_path / "o.csv"
    old = _old_outputs(out)

    def full(self, frame):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(batch_run._CsvSink, "write", full)
    with pytest.raises(GaitkeeperError, match="no space left writing"):
        score_inventory_files(INVENTORY, runners_small, out)
    assert {p: p.read_bytes() for p in old} == old
    assert leftovers(tmp_path) == []


# ------------------------------------------------------------------ umask (19.6, 18)
@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_outputs_honour_the_umask(tmp_path: Path, runners_small: Path, umask: int,
                                  mode: int) -> None:
    out = tmp_path / "o.parquet"
    done = gk(*score_args(runners_small, out), preexec=lambda: os.umask(umask))
    assert done.returncode == 0, done.stderr
    for p in _outputs(out):
        assert stat.S_IMODE(p.stat().st_mode) == mode, p


# -------------------------------------------------------------- spreadsheet safety (18)
PAYLOADS = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "|calc", "＝1+1", "＋1", "－1",
            "＠x"]


def test_formula_payloads_in_every_text_field_are_neutralised(tmp_path: Path,
                                                               catalog) -> None:
    """sku and store_id of the inventory, runner_id of the runners (scored, rejected and
    unmatched): no written CSV cell starts with a character a spreadsheet runs."""
    stock = pl.read_csv(INVENTORY, infer_schema=False)
    n = len(PAYLOADS)
    inv = tmp_path / "inv.csv"
    tags = pl.Series([PAYLOADS[i % n] for i in range(stock.height)])
    stock.with_columns((tags + pl.col("sku")).alias("sku"), tags.alias("store_id")).vstack(
        stock.head(1).with_columns(pl.lit("=bad").alias("sku"),
                                   pl.lit("=no-such-shoe").alias("shoe_id"),
                                   pl.lit("x").alias("store_id"))).write_csv(inv)
    from recommender.io import write_table
    from recommender.synth import synth_runners

    cohort = synth_runners(400, 3)
    ids = pl.Series([PAYLOADS[i % n] + f"r{i}" for i in range(cohort.height)])
    cohort = cohort.with_columns(ids.alias("runner_id"))
    cohort = pl.concat([cohort, cohort.head(2).with_columns(pl.lit("=dup").alias("runner_id"))])
    runners = tmp_path / "runners.csv"
    write_table(cohort, runners)
    out = tmp_path / "o.csv"
    score_inventory_files(inv, runners, out, catalog=catalog)
    risky = tuple(io_write.FORMULA_PREFIXES)
    for p in _outputs(out):
        frame = read_text_frame(p)
        assert frame.height > 0, p
        for col in frame.columns:
            for cell in frame[col].drop_nulls():
                if cell.startswith(risky):
                    float(cell)  # only real numbers (a negative score) may start so
    rejects = read_text_frame(Path(str(out) + ".rejects.csv"))
    assert rejects.filter(pl.col("key") == "'=bad").height >= 1


# ------------------------------------------------- names and the catalog marker (18)
def test_rejects_name_the_upload_never_a_temp_path(tmp_path: Path, runners_small: Path,
                                                   catalog) -> None:
    sid = catalog.ids[0]
    inv = tmp_path / "tmpa8f3.csv"
    inv.write_text(f"sku,shoe_id,size_us,width,quantity\nA,{sid},9,standard,two\n"
                   f"B,{sid},9,standard,3\n")
    result = score_inventory(inv, runners_small, catalog=catalog,
                             inventory_name="my stock.csv", runners_name="customers.csv")
    assert set(result.rejects["file"]) == {"my stock.csv"}
    assert "tmpa8f3" not in result.rejects.write_csv()
    bad = tmp_path / "tmpzz.csv"
    bad.write_bytes(b"\x1f\x8b\x08\x00 gzip")
    with pytest.raises(GaitkeeperError) as info:
        score_inventory(bad, runners_small, catalog=catalog, inventory_name="my stock.csv")
    assert "my stock.csv" in str(info.value) and "tmpzz" not in str(info.value)


def test_rejects_carry_the_key_and_the_raw_row(tmp_path: Path, catalog) -> None:
    runners = tmp_path / "runners.csv"
    runners.write_text("runner_id,shoe_size_us,age\nann,9,30\nbob,9,old\n"
                       f"cy,9,{'4' * 200}\n")
    result = score_inventory(INVENTORY, runners, catalog=catalog)
    r = result.rejects.filter(pl.col("file") == str(runners)).sort("row")
    assert r.select("row", "column", "key").rows() == [(2, "age", "bob"), (3, "age", "cy")]
    assert r["raw"][0] == "runner_id=bob; shoe_size_us=9; age=old"
    assert len(r["raw"][1]) < 200 and r["raw"][1].endswith("…")
    assert tuple(result.rejects.columns) == batch_run.REJECT_COLUMNS


def test_catalog_marker_is_keyed_on_rules_too(tmp_path: Path, monkeypatch) -> None:
    """A catalog that passed old rules is validated again when the rules change (done by
    the restructure: catalog.rules_version(); proved here)."""
    from recommender import catalog as cat_mod
    from recommender.catalog import DEFAULT_CATALOG
    from recommender.validate import schemas

    monkeypatch.setenv("GAITKEEPER_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(cat_mod, "SHIPPED_STAMP", tmp_path / "no-stamp")  # the marker alone
    path = tmp_path / "shoes.csv"
    shutil.copy(DEFAULT_CATALOG, path)
    calls = []
    real = schemas.validate_frame
    monkeypatch.setattr(schemas, "validate_frame", lambda *a, **k: calls.append(1) or real(*a, **k))

    def load() -> None:
        cat_mod._LOADED.clear()
        cat_mod.load_catalog(path)

    load()
    load()
    assert len(calls) == 1  # the marker skipped the second validation
    monkeypatch.setattr(cat_mod, "rules_version", lambda: "tightened")
    load()
    assert len(calls) == 2


@pytest.mark.parametrize("case", ["no-home", "home-is-a-file", "cache-unwritable"])
def test_no_home_or_unwritable_cache_does_not_fail_the_run(tmp_path: Path,
                                                          runners_small: Path,
                                                          case: str) -> None:
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "GAITKEEPER_CACHE_DIR")}
    if case == "home-is-a-file":
        env["HOME"] = "/dev/null"
    elif case == "cache-unwritable":
        env["GAITKEEPER_CACHE_DIR"] = "/proc/gaitkeeper-cache"
    out = work / "o.csv"
    done = gk(*score_args(runners_small, out), env=env, cwd=work)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in work.iterdir()) == sorted(p.name for p in _outputs(out))


def test_a_user_without_a_home_gets_no_stray_directory(tmp_path: Path, monkeypatch) -> None:
    """No HOME and no passwd entry (an arbitrary container uid): the catalog marker is
    skipped, never written to a directory named ``~`` in the working directory."""
    import pwd

    from recommender import catalog as cat_mod

    def no_entry(uid):
        raise KeyError(uid)

    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.delenv("GAITKEEPER_CACHE_DIR", raising=False)
    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    monkeypatch.chdir(tmp_path)
    cat_mod._LOADED.clear()
    cat_mod.load_catalog()
    assert list(tmp_path.iterdir()) == []
