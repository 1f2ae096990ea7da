"""Store inventory: check a store's inventory and customers, score them
(``recommender.batch.score_inventory``) and show who is served and who is not."""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import polars as pl
import streamlit as st
from gaitkeeper_ui import charts
from gaitkeeper_ui.common import (
    SAMPLE_INVENTORY,
    SAMPLE_RUNNERS,
    catalog,
    humanize_col,
    page_header,
    sample_frame,
)
from gaitkeeper_ui.uploads import UPLOAD_TYPES, Source, is_known_upload

from recommender import GaitkeeperError, load_catalog, score_inventory
from recommender.batch import Summary
from recommender.io import csv_safe_bytes, validate_raw

RESULT = "store-result"
SAMPLES, UPLOADS = "Use the shipped samples", "Upload my own files"
KINDS = {"inventory": "Inventory", "runners": "Runners"}


@st.cache_data(show_spinner="Checking the file…", max_entries=32)
def check(kind: str, label: str, path: str | None, data: bytes | None
          ) -> tuple[str | None, int, pl.DataFrame | None]:
    """Validate one input: ``(unusable-file message, rows, problems)``."""
    try:
        raw = Source(kind, label, path, data).raw()
        if raw.height == 0:
            return "has a header but no data rows", 0, None
        result = validate_raw(raw, kind, file=label, catalog_ids=load_catalog().ids)
    except GaitkeeperError as exc:
        return getattr(exc, "message", str(exc)), 0, None
    problems = result.problems.drop("file").select("row", "column", "value", "rule")
    return None, result.n_rows, problems


@dataclass(frozen=True)
class StoreResult:
    signature: str
    summary: Summary
    scored: pl.DataFrame
    coverage: pl.DataFrame
    unmatched: pl.DataFrame
    rejects_csv: bytes


def run_scoring(inventory: Source, runners: Source, top: int) -> StoreResult:
    with st.status("Scoring the inventory against the runners…", expanded=True) as status:
        bar = st.progress(0.0, text="Reading the files")

        def advance(done: int, total: int | None) -> None:
            share = min(done / total, 1.0) if total else 0.5
            bar.progress(0.2 + 0.75 * share, text=f"Scored {done:,} runner rows")

        try:
            result = score_inventory(inventory.raw(), runners.raw(), catalog=catalog(), top=top,
                                     on_progress=advance, inventory_name=inventory.label,
                                     runners_name=runners.label)
        except GaitkeeperError:
            status.update(label="Scoring stopped", state="error")
            raise
        bar.progress(1.0, text="Done")
        status.update(label=f"Done in {result.summary.seconds:.1f} s", state="complete",
                      expanded=False)
    return StoreResult(
        signature=inventory.signature + "|" + runners.signature + f"|top={top}",
        summary=result.summary, scored=result.scored, coverage=result.coverage,
        unmatched=result.unmatched, rejects_csv=csv_safe_bytes(result.rejects))


# ---------------------------------------------------------------------------------- page
cat = catalog()
page_header("Store inventory", "Score your store's stock against your customers: each runner's "
            "best in-stock matches in their size and width, by the same rules as the shoe finder.")

source = st.radio("Data", [SAMPLES, UPLOADS], key="store-source", horizontal=True,
                  label_visibility="collapsed")
sources: dict[str, Source | None] = {}
cols = st.columns(2, gap="large")
for col, (kind, title) in zip(cols, KINDS.items(), strict=True):
    with col:
        st.markdown(f"**{title}**")
        if source == SAMPLES:
            path = SAMPLE_INVENTORY if kind == "inventory" else SAMPLE_RUNNERS
            sources[kind] = Source(kind, path.name, path=str(path))
            frame = sample_frame(str(path), kind)
            st.caption(f"`data/{path.name}` — {frame.height:,} rows")
            with st.expander("Preview"):
                st.dataframe(frame.head(50), hide_index=True)
        else:
            up = st.file_uploader(f"{title} (CSV or Parquet)", type=UPLOAD_TYPES,
                                  key=f"store-upload-{kind}")
            if up is None:
                sources[kind] = None
            elif not is_known_upload(up.name):
                sources[kind] = None
                st.error(f"{title}: use a {', '.join('.' + s for s in UPLOAD_TYPES)} file.")
            else:
                sources[kind] = Source(kind, up.name, data=up.getvalue())

        src = sources[kind]
        if src is None:
            continue
        message, n_rows, problems = check(kind, src.label, src.path, src.data)
        if message is not None:
            st.error(f"{title} file cannot be used: {message}")
            sources[kind] = None
        elif problems is not None and problems.height:
            bad = problems.get_column("row").drop_nulls().n_unique()
            st.error(f"{title}: {problems.height} problem(s) in {bad} of {n_rows:,} row(s). "
                     "Each is listed below by row (1 = first data row) and column. Invalid rows "
                     "are set aside, never scored, and listed in the rejects file.")
            with st.container(key=f"store-problems-{kind}"):
                st.dataframe(problems, hide_index=True)
        else:
            st.success(f"{title}: {n_rows:,} row(s), all valid.", icon=":material/check:")

ready = all(sources.get(k) is not None for k in KINDS)
default_top = inspect.signature(score_inventory).parameters["top"].default
left, right = st.columns([1, 4], vertical_alignment="bottom")
top = left.number_input("Matches per runner", min_value=1, max_value=20, value=default_top,
                        key="store-top")
go = right.button("Score the inventory", type="primary", key="store-score", disabled=not ready,
                  icon=":material/play_arrow:")

if go and ready:
    inv, run = sources["inventory"], sources["runners"]
    assert inv is not None and run is not None
    try:
        st.session_state[RESULT] = run_scoring(inv, run, int(top))
    except GaitkeeperError as exc:
        st.session_state.pop(RESULT, None)
        st.error(f"Scoring stopped: {exc}")

result: StoreResult | None = st.session_state.get(RESULT)
current = (sources["inventory"].signature + "|" + sources["runners"].signature + f"|top={top}"
           if ready else None)  # type: ignore[union-attr]
if result is not None and result.signature != current:
    st.info("The files or settings changed since the last run: score again to update.")
    result = None

if result is not None:
    s = result.summary
    st.divider()
    m = st.columns(5)
    m[0].metric("Runners scored", f"{s.runners_scored:,}")
    m[1].metric("Runner rows rejected", f"{s.runners_rejected:,}")
    m[2].metric("Inventory rows rejected", f"{s.inventory_rejected:,}")
    m[3].metric("Runners with no match", f"{s.runners_without_match:,}")
    m[4].metric("Match rows", f"{s.rows_written:,}")

    st.subheader("Coverage by runner segment")
    overall = result.coverage.filter(pl.col("segment") == "all")
    if overall.height:
        share = overall.get_column("share")[0]
        st.markdown(f"**{share:.0%}** of runners have at least one in-stock match.")
    st.altair_chart(charts.coverage_heatmap(result.coverage), key="store-heatmap")

    st.subheader("Under-served segments")
    worst = result.coverage.filter(pl.col("segment") != "all").sort("share", "runners").head(5)
    st.dataframe(
        worst.with_columns(humanize_col("segment"), humanize_col("value")),
        hide_index=True,
        column_config={"share": st.column_config.ProgressColumn(
            "Share matched", min_value=0.0, max_value=1.0, format="percent")})

    st.subheader("Runners with no in-stock match")
    if result.unmatched.height:
        st.dataframe(result.unmatched, hide_index=True)
    else:
        st.success("Every valid runner has at least one in-stock match.")

    st.subheader("Matches")
    st.dataframe(result.scored.head(1000), hide_index=True)
    d1, d2 = st.columns(2)
    d1.download_button("Download all matches (CSV)", csv_safe_bytes(result.scored),
                       file_name="scored.csv", mime="text/csv", key="store-download-scored",
                       on_click="ignore", icon=":material/download:", width="stretch")
    d2.download_button("Download rejected rows (CSV)", result.rejects_csv,
                       file_name="scored.rejects.csv", mime="text/csv",
                       key="store-download-rejects", on_click="ignore",
                       icon=":material/download:", width="stretch")
    st.caption("CSV downloads are safe to open in a spreadsheet: cells that would run as a "
               "formula are neutralised.")
