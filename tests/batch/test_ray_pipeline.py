"""The Ray Data pipeline (issue 15 item 3) on a real two-node local cluster: a directory of
Parquet parts read, validated, deduplicated and scored on the workers equals the local
engine row for row (after sorting by runner_id, rank), with the same rejects, coverage and
unmatched runners; the output directory appears whole or not at all."""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
import pytest

from recommender.batch import score_inventory, score_inventory_files, write_outputs
from recommender.errors import BatchError
from recommender.synth import synth_runners

pytestmark = pytest.mark.distributed

N_RUNNERS = 3000
PARTS = 3


@pytest.fixture(scope="module")
def cluster():
    ray = pytest.importorskip("ray")
    from ray.cluster_utils import Cluster

    if ray.is_initialized():
        ray.shutdown()
    c = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    c.add_node(num_cpus=1)
    c.wait_for_nodes()
    from recommender.batch._ray import RUNTIME_ENV

    ray.init(address=c.address, log_to_driver=False, runtime_env=RUNTIME_ENV)
    try:
        assert len([n for n in ray.nodes() if n["Alive"]]) == 2
        yield c
    finally:
        ray.shutdown()
        c.shutdown()


def _cohort() -> pl.DataFrame:
    """A synthetic cohort with bad rows: a repeat of an id from another part, a repeat
    within a part, a severity out of range, an unknown enum value, a missing id."""
    frame = synth_runners(N_RUNNERS, 20261206)
    ids = frame.get_column("runner_id")
    size = N_RUNNERS // PARTS
    edits = {
        size + 10: {"runner_id": ids[5]},                     # repeats part 0's row 6
        2 * size + 20: {"runner_id": ids[2 * size + 3]},      # repeats an earlier row of part 2
        7: {"knee_pain_severity": 11},
        size + 30: {"gait_pronation": "overpronated"},
        2 * size + 40: {"runner_id": "  "},
    }
    rows = frame.to_dicts()
    for i, cells in edits.items():
        rows[i].update(cells)
    return pl.DataFrame(rows, schema=frame.schema)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("ray-pipeline")
    cohort = _cohort()
    parts = d / "runners"
    parts.mkdir()
    size = N_RUNNERS // PARTS
    offsets = {}
    for i in range(PARTS):
        name = f"part-{i}.parquet"
        cohort.slice(i * size, size).write_parquet(parts / name, row_group_size=250)
        offsets[f"{parts}/{name}"] = i * size
    return {"dir": d, "parts": parts, "cohort": cohort, "offsets": offsets}


def _local_reference(dataset, data_dir: Path, catalog, out: Path) -> None:
    """The local engine in memory on the whole cohort; rejects renamed to part and row."""
    result = score_inventory(data_dir / "inventory_sample.csv", dataset["cohort"],
                             catalog=catalog, runners_name="LOCAL")
    bounds = sorted((start, name) for name, start in dataset["offsets"].items())

    def where(row: int) -> tuple[str, int]:
        name, start = next((n, s) for s, n in reversed(bounds) if row > s)
        return name, row - start

    rejects = result.rejects
    local = rejects.filter(pl.col("file") == "LOCAL")
    mapped = [where(r) for r in local.get_column("row").to_list()]
    local = local.with_columns(pl.Series("file", [m[0] for m in mapped]),
                               pl.Series("row", [m[1] for m in mapped], dtype=pl.Int64))
    rejects = pl.concat([rejects.filter(pl.col("file") != "LOCAL"), local]) \
        .sort("file", "row", "column", nulls_last=False)
    write_outputs(type(result)(result.scored, rejects, result.coverage, result.unmatched,
                               result.summary), out)


def test_cluster_pipeline_equals_local(cluster, dataset, data_dir: Path, catalog) -> None:
    d = dataset["dir"]
    local, dist = d / "local.parquet", d / "scored.parquet"
    _local_reference(dataset, data_dir, catalog, local)
    started = time.perf_counter()
    summary = score_inventory_files(data_dir / "inventory_sample.csv", dataset["parts"], dist,
                                    catalog=catalog, engine="ray", chunk_size=400,
                                    progress=False)
    seconds = time.perf_counter() - started
    assert dist.is_dir() and sorted(p.name for p in dist.iterdir())[0].startswith("part-000000")
    a = pl.read_parquet(local).sort("runner_id", "rank")
    b = pl.read_parquet(dist).sort("runner_id", "rank")
    assert a.height > 5 * 1000 and a.schema == b.schema
    assert a.equals(b)
    for side in (".rejects.csv", ".coverage.csv", ".unmatched.csv"):
        assert Path(str(local) + side).read_bytes() == Path(str(dist) + side).read_bytes(), side
    rejects = pl.read_csv(str(dist) + ".rejects.csv")
    size = N_RUNNERS // PARTS
    got = set(zip(rejects["file"].str.extract(r"(part-\d)"), rejects["row"],
                  rejects["column"], strict=True))
    assert {("part-0", 8, "knee_pain_severity"), ("part-1", 11, "runner_id"),
            ("part-1", 31, "gait_pronation"), ("part-2", 21, "runner_id"),
            ("part-2", 41, "runner_id")} <= got
    assert summary.runners_read == N_RUNNERS and summary.runners_rejected == 5
    assert summary.runners_scored == N_RUNNERS - 5 and summary.rows_written == a.height
    assert size == 1000
    # no temporaries left beside the output
    assert not [p for p in d.iterdir() if p.name.startswith(".")]
    print(f"\nray pipeline: {N_RUNNERS} runners on 2 nodes in {seconds:.1f} s")


def test_output_directory_is_replaced_whole_or_not_at_all(cluster, dataset, data_dir: Path,
                                                          catalog) -> None:
    d = dataset["dir"] / "atomic"
    d.mkdir()
    out = d / "scored.parquet"
    out.write_bytes(b"an earlier local run's file")
    inventory = data_dir / "inventory_sample.csv"
    # strict: the bad rows stop the run; nothing is written, the old output is untouched
    with pytest.raises(BatchError, match="--strict"):
        score_inventory_files(inventory, dataset["parts"], out, catalog=catalog,
                              engine="ray", strict=True, progress=False)
    assert out.read_bytes() == b"an earlier local run's file"
    assert sorted(p.name for p in d.iterdir()) == ["scored.parquet"]
    # a single part file as input; the old file is replaced by the directory of parts
    one = next(iter(sorted(dataset["parts"].iterdir())))
    summary = score_inventory_files(inventory, one, out, catalog=catalog, engine="ray",
                                    top=2, progress=False)
    assert out.is_dir() and summary.runners_read == N_RUNNERS // PARTS
    scored = pl.read_parquet(out)
    # the sample inventory names two stores: top 2 per runner per store
    assert scored.group_by("runner_id", "store_id").len().get_column("len").max() <= 2
    assert sorted(p.name for p in d.iterdir()) == [
        "scored.parquet", "scored.parquet.coverage.csv", "scored.parquet.rejects.csv",
        "scored.parquet.unmatched.csv"]
