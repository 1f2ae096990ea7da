"""Store inventory: check a store's inventory and customers, score them
(``recommender.batch.score_inventory``), show who is served and who is not, and what to
stock next (``recommender.stocking``). Every table can be downloaded."""

from __future__ import annotations

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
from recommender.app_support import readable_matches, runners_template_csv, separator_hint
from recommender.batch import Summary
from recommender.io import csv_safe_bytes, validate_raw

RESULT = "store-result"
SAMPLES, UPLOADS = "Use the shipped samples", "Upload my own files"
KINDS = {"inventory": "Inventory", "runners": "Runners"}
ALL_STORES = "All stores"
MAX_TOP = 20  # scored once at the most; "matches per runner" only filters the view
MATCH_LABELS = {"runner_id": "Runner", "rank": "Rank", "first": "Clinician first",
                "brand": "Brand", "model": "Model", "version": "Version", "size_us": "Size (US)",
                "width": "Width", "quantity": "Pairs in stock", "price_usd": "Price ($)",
                "score": "Score", "support": "Support", "drop_mm": "Drop (mm)", "sku": "SKU",
                "shoe_id": "Shoe id"}
UNMATCHED_LABELS = {"runner_id": "Runner", "gate": "Strength gate", "terrain": "Terrain",
                    "width": "Width", "size_band": "Size (US)", "drop_need": "Drop need",
                    "best_catalog_pick": "Best catalog pick",
                    "nearest_in_stock": "Nearest in stock", "note": "Note"}
COVERAGE_LABELS = {"segment": "Segment", "value": "Group", "runners": "Runners",
                   "runners_with_match": "Runners with a match", "share": "Share matched"}


@st.cache_data(show_spinner="Checking the file…", max_entries=32)
def check(kind: str, label: str, path: str | None, data: bytes | None
          ) -> tuple[str | None, int, pl.DataFrame | None]:
    """Validate one input: ``(unusable-file message, rows, problems)``."""
    try:
        raw = Source(kind, label, path, data).raw()
        if raw.height == 0:
            return "has a header but no data rows", 0, None
        hint = separator_hint([c for c in raw.columns if not c.startswith("__")])
        result = validate_raw(raw, kind, file=label, catalog_ids=load_catalog().ids)
    except GaitkeeperError as exc:
        message = getattr(exc, "message", str(exc))
        try:
            columns = Source(kind, label, path, data).raw().columns
        except GaitkeeperError:
            columns = []
        hint = separator_hint([c for c in columns if not c.startswith("__")])
        return message + (f" — {hint}" if hint else ""), 0, None
    del hint
    problems = result.problems.drop("file").select("row", "column", "value", "rule")
    return None, result.n_rows, problems


@st.cache_data(show_spinner=False, max_entries=16)
def store_ids(label: str, path: str | None, data: bytes | None) -> list[str]:
    try:
        raw = Source("inventory", label, path, data).raw()
    except GaitkeeperError:
        return []
    if "store_id" not in raw.columns:
        return []
    return sorted(v for v in raw.get_column("store_id").unique().to_list() if v)


@dataclass(frozen=True)
class StoreResult:
    signature: str
    summary: Summary
    scored: pl.DataFrame
    readable: pl.DataFrame
    coverage: pl.DataFrame
    unmatched: pl.DataFrame
    rejects_csv: bytes
    runners: pl.DataFrame  # validated, for "what to stock next"
    stocked: list[str]


def _inventory(src: Source, store: str) -> pl.DataFrame:
    raw = src.raw()
    if store != ALL_STORES and "store_id" in raw.columns:
        raw = raw.filter(pl.col("store_id") == store)
    return raw


def run_scoring(inventory: Source, runners: Source, store: str, signature: str) -> StoreResult:
    with st.status("Scoring the inventory against the runners…", expanded=True) as status:
        bar = st.progress(0.0, text="Reading the files")

        def advance(done: int, total: int | None) -> None:
            share = min(done / total, 1.0) if total else 0.5
            bar.progress(0.2 + 0.75 * share, text=f"Scored {done:,} runner rows")

        inv = _inventory(inventory, store)
        run_raw = runners.raw()
        try:
            result = score_inventory(inv, run_raw, catalog=catalog(), top=MAX_TOP,
                                     on_progress=advance, inventory_name=inventory.label,
                                     runners_name=runners.label)
        except GaitkeeperError:
            status.update(label="Scoring stopped", state="error")
            raise
        bar.progress(1.0, text="Done")
        status.update(label=f"Done in {result.summary.seconds:.1f} s", state="complete",
                      expanded=False)
    valid_runners = validate_raw(run_raw, "runners", file=runners.label).frame
    stocked = inv.filter(pl.col("quantity").cast(pl.Int64, strict=False) > 0) \
        .get_column("shoe_id").unique().to_list()
    return StoreResult(
        signature=signature, summary=result.summary, scored=result.scored,
        readable=readable_matches(result.scored, inv, catalog().frame),
        coverage=result.coverage, unmatched=result.unmatched,
        rejects_csv=csv_safe_bytes(result.rejects), runners=valid_runners, stocked=stocked)


def download(label: str, frame: pl.DataFrame, name: str, key: str, col=st) -> None:
    col.download_button(label, csv_safe_bytes(frame), file_name=name, mime="text/csv", key=key,
                        on_click="ignore", icon=":material/download:")


# ---------------------------------------------------------------------------------- page
cat = catalog()
page_header("Store inventory", "Score your store's stock against your customers: each runner's "
            "best in-stock matches in their size and width, by the same rules as the shoe finder.")

source = st.radio("Data", [SAMPLES, UPLOADS], key="store-source", horizontal=True,
                  label_visibility="collapsed")
if source == UPLOADS:
    st.info("**Two files:** your **inventory** (one row per SKU: `sku, shoe_id, size_us, width, "
            "quantity`, optional `price_usd, store_id, line`) and your **runners** (one row per "
            "customer; only `runner_id` is required — every other column is an optional answer, "
            "empty = unknown). A runner can download their own row from the shoe finder's plan.",
            icon=":material/upload_file:")
    t1, t2 = st.columns(2)
    t1.download_button("Runners template (CSV)", runners_template_csv(),
                       file_name="runners-template.csv", mime="text/csv",
                       key="store-template-runners", on_click="ignore",
                       icon=":material/table:")
    t2.download_button("Inventory example (CSV)",
                       csv_safe_bytes(sample_frame(str(SAMPLE_INVENTORY), "inventory").head(20)),
                       file_name="inventory-example.csv", mime="text/csv",
                       key="store-template-inventory", on_click="ignore",
                       icon=":material/table:")
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
            up = st.file_uploader(f"{title} (CSV, Parquet or JSON lines)", type=UPLOAD_TYPES,
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
            download(f"Download the {title.lower()} problems (CSV)", problems,
                     f"{kind}-problems.csv", f"store-download-problems-{kind}")
        else:
            st.success(f"{title}: {n_rows:,} row(s), all valid.", icon=":material/check:")

missing = [title.lower() for kind, title in KINDS.items() if sources.get(kind) is None]
ready = not missing
inv_src = sources.get("inventory")
stores = store_ids(inv_src.label, inv_src.path, inv_src.data) if inv_src else []
left, mid, right = st.columns([1, 1, 3], vertical_alignment="bottom")
store = mid.selectbox("Store", [ALL_STORES, *stores], key="store-id",
                      disabled=not stores, help="The inventory's store_id column: score one "
                      "store's stock, or all stores together.")
top = left.number_input("Matches per runner", min_value=1, max_value=MAX_TOP, value=5,
                        key="store-top", help="Only changes what is shown; no re-scoring.")
go = right.button("Score the inventory", type="primary", key="store-score", disabled=not ready,
                  icon=":material/play_arrow:")
if missing:
    st.caption(f"To score, add a valid {' and a valid '.join(missing)} file above.")

signature = (f"{sources['inventory'].signature}|{sources['runners'].signature}|{store}"  # type: ignore[union-attr]
             if ready else None)
if go and ready:
    inv, run = sources["inventory"], sources["runners"]
    assert inv is not None and run is not None and signature is not None
    try:
        st.session_state[RESULT] = run_scoring(inv, run, store, signature)
    except GaitkeeperError as exc:
        st.session_state.pop(RESULT, None)
        st.error(f"Scoring stopped: {exc}")

result: StoreResult | None = st.session_state.get(RESULT)
if result is not None and result.signature != signature:
    st.info("The files or the store changed since the last run: score again to update.")
    result = None
if result is None and ready and not go:
    st.caption("Nothing scored yet: press **Score the inventory**.")

if result is not None:
    s = result.summary
    st.divider()
    referred = result.readable.filter(pl.col("first") != "").get_column("runner_id").n_unique()
    m = st.columns(6)
    m[0].metric("Runners scored", f"{s.runners_scored:,}")
    m[1].metric("Runner rows rejected", f"{s.runners_rejected:,}")
    m[2].metric("Inventory rows rejected", f"{s.inventory_rejected:,}")
    m[3].metric("Runners with no match", f"{s.runners_without_match:,}")
    m[4].metric("To see a clinician first", f"{referred:,}")
    m[5].metric("Match rows", f"{result.readable.filter(pl.col('rank') <= top).height:,}")

    st.subheader("Coverage by runner segment")
    overall = result.coverage.filter(pl.col("segment") == "all")
    if overall.height:
        share = overall.get_column("share")[0]
        st.markdown(f"**{share:.0%}** of runners have at least one in-stock match"
                    + ("" if store == ALL_STORES else f" at **{store}**") + ".")
    st.altair_chart(charts.coverage_heatmap(result.coverage), key="store-heatmap")
    download("Download coverage (CSV)", result.coverage.rename(COVERAGE_LABELS),
             "coverage.csv", "store-download-coverage")

    st.subheader("Under-served segments")
    worst = result.coverage.filter(pl.col("segment") != "all").sort("share", "runners").head(5)
    worst_view = worst.with_columns(humanize_col("segment"), humanize_col("value"))
    st.dataframe(
        worst_view, hide_index=True,
        column_config={**COVERAGE_LABELS, "share": st.column_config.ProgressColumn(
            "Share matched", min_value=0.0, max_value=1.0, format="percent")})

    st.subheader("What to stock next")
    from recommender.stocking import what_to_stock

    served = result.scored.get_column("runner_id").unique().to_list()
    picks = what_to_stock(result.runners, cat, served, k=5, exclude=result.stocked)
    if picks.height:
        names = {r["shoe_id"]: f"{r['brand']} {r['model']} {r['version']}"
                 for r in cat.frame.select("shoe_id", "brand", "model", "version")
                 .iter_rows(named=True)}
        view = picks.with_columns(
            pl.col("shoe_id").replace_strict(names, default=pl.col("shoe_id")).alias("Model"))
        st.caption("Models not in stock today, chosen one at a time to reach the most runners "
                   "without a match (a model reaches a runner when it is among their own top 10 "
                   "eligible shoes; runners who must see a clinician first are left out).")
        st.dataframe(view.select("step", "Model", "new_runners", "reached", "share_reached",
                                 "sizes"), hide_index=True, key="store-stock-next",
                     column_config={"step": "Order", "new_runners": "Runners it adds",
                                    "reached": "Reached so far",
                                    "share_reached": st.column_config.ProgressColumn(
                                        "Share of unmatched reached", min_value=0.0,
                                        max_value=1.0, format="percent"),
                                    "sizes": "Sizes they need"})
        download("Download what to stock next (CSV)", view, "stock-next.csv",
                 "store-download-stock")
    else:
        st.success("Every runner who can be served has an in-stock match.")

    st.subheader("Runners with no in-stock match")
    if result.unmatched.height:
        st.dataframe(result.unmatched, hide_index=True, column_config=UNMATCHED_LABELS)
        download("Download unmatched runners (CSV)", result.unmatched, "unmatched.csv",
                 "store-download-unmatched")
    else:
        st.success("Every valid runner has at least one in-stock match.")

    st.subheader("Matches")
    shown = result.readable.filter(pl.col("rank") <= top)
    if referred:
        st.warning(f"{referred} runner(s) must **see a clinician first**: their matches are for "
                   "after they have been checked (column *Clinician first*).",
                   icon=":material/emergency:")
    st.dataframe(shown.head(1000), hide_index=True, column_config={
        **MATCH_LABELS, "price_usd": st.column_config.NumberColumn("Price", format="$%.0f")})
    d1, d2 = st.columns(2)
    d1.download_button("Download all matches (CSV)", csv_safe_bytes(shown),
                       file_name="scored.csv", mime="text/csv", key="store-download-scored",
                       on_click="ignore", icon=":material/download:", width="stretch")
    d2.download_button("Download rejected rows (CSV)", result.rejects_csv,
                       file_name="scored.rejects.csv", mime="text/csv",
                       key="store-download-rejects", on_click="ignore",
                       icon=":material/download:", width="stretch")
    st.caption("CSV downloads are safe to open in a spreadsheet: cells that would run as a "
               "formula are neutralised.")
elif not ready and source == UPLOADS:
    st.caption("Upload both files to see coverage, matches and what to stock next.")
