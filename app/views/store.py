"""Store inventory: check a store's inventory (a gaitkeeper inventory, or an export straight
from Shopify, Square, Lightspeed or another system, with the mapping review) and customers,
score them (``recommender.batch.score_inventory``), show who is served and who is not, per
store, and what to stock next (``recommender.stocking``). Every table can be downloaded."""

from __future__ import annotations

import hashlib
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
from gaitkeeper_ui.store_import import EXPORT_TYPES, FORMAT_LABELS, READY, import_export
from gaitkeeper_ui.uploads import UPLOAD_TYPES, Source, is_known_upload

from recommender import GaitkeeperError, load_catalog, score_inventory
from recommender.app_support import runners_template_csv, separator_hint
from recommender.batch import Summary
from recommender.batch.coverage import ANY_STORE
from recommender.io import csv_safe_bytes, validate_raw
from recommender.rules.sources import MIN_MATCH_SCORE
from recommender.store import decisions

RESULT = "store-result"
SAMPLES, UPLOADS = "Use the shipped samples", "Upload my own files"
KINDS = {"inventory": "Inventory", "runners": "Runners"}
ALL_STORES = "All stores"
MAX_TOP = 20  # scored once at the most; "matches per runner" only filters the view
MATCH_LABELS = {"runner_id": "Runner", "rank": "Rank", "store_id": "Store",
                "first": "Clinician first", "line": "Line",
                "brand": "Brand", "model": "Model", "version": "Version", "size_us": "Size (US)",
                "width": "Width", "quantity": "Pairs in stock", "price_usd": "Price ($)",
                "score": "Score", "support": "Support", "drop_mm": "Drop (mm)", "sku": "SKU",
                "shoe_id": "Shoe id"}
UNMATCHED_LABELS = {"runner_id": "Runner", "store_id": "Store", "gate": "Strength gate",
                    "terrain": "Terrain", "width": "Width", "size_band": "Size (US)",
                    "drop_need": "Drop need", "best_catalog_pick_name": "Best catalog pick",
                    "nearest_in_stock_name": "Nearest in stock",
                    "best_in_stock_score": "Best score here", "note": "Note"}
COVERAGE_LABELS = {"store_id": "Store", "segment": "Segment", "value": "Group",
                   "runners": "Runners", "runners_with_match": "Runners served",
                   "share": "Share served",
                   "runners_no_catalog_shoe": "No catalog shoe fits",
                   "runners_store_could_fix": "Store could serve"}
REVIEW_LABELS = {"title": "Title in the export", "vendor": "Vendor", "status": "Status",
                 "rows": "Rows", "matched": "Matched to", "match_score": "Confidence",
                 "reason": "Why", "choice": "Your choice"}
LEAVE_OUT = "Leave out (not imported)"


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


@dataclass(frozen=True)
class StoreResult:
    signature: str
    summary: Summary
    scored: pl.DataFrame  # every match (MAX_TOP per runner and store), readable columns
    coverage: pl.DataFrame
    unmatched: pl.DataFrame
    rejects: pl.DataFrame
    runners: pl.DataFrame  # validated, for "what to stock next"
    stocked: pl.DataFrame  # shoe_id (and store_id) in stock
    min_score: float


def _stocked(inv: pl.DataFrame) -> pl.DataFrame:
    keys = [c for c in ("store_id", "shoe_id") if c in inv.columns]
    return inv.filter(pl.col("quantity").cast(pl.Int64, strict=False) > 0).select(
        [pl.col(c).cast(pl.String) for c in keys]).unique()


def run_scoring(inv_label: str, inv: pl.DataFrame, runners: Source, min_score: float,
                signature: str) -> StoreResult:
    with st.status("Scoring the inventory against the runners…", expanded=True) as status:
        bar = st.progress(0.0, text="Reading the files")
        def advance(done: int, total: int | None) -> None:
            # called by the library from this (the script's) thread after each chunk
            share = min(done / total, 1.0) if total else 0.5
            bar.progress(0.2 + 0.75 * share, text=f"Scored {done:,} runner rows")

        run_raw = runners.raw()
        try:
            result = score_inventory(inv, run_raw, catalog=catalog(), top=MAX_TOP,
                                     on_progress=advance, inventory_name=inv_label,
                                     runners_name=runners.label, min_score=min_score)
        except GaitkeeperError:
            status.update(label="Scoring stopped", state="error")
            raise
        bar.progress(1.0, text="Done")
        status.update(label=f"Done in {result.summary.seconds:.1f} s", state="complete",
                      expanded=False)
    valid_runners = validate_raw(run_raw, "runners", file=runners.label).frame
    return StoreResult(
        signature=signature, summary=result.summary, scored=result.scored,
        coverage=result.coverage, unmatched=result.unmatched, rejects=result.rejects,
        runners=valid_runners, stocked=_stocked(inv), min_score=min_score)


def download(label: str, frame: pl.DataFrame, name: str, key: str, col=st) -> None:
    col.download_button(label, csv_safe_bytes(frame), file_name=name, mime="text/csv", key=key,
                        on_click="ignore", icon=":material/download:")


def readable(scored: pl.DataFrame) -> pl.DataFrame:
    """The matches as a person reads them (the scored rows already carry the names)."""
    store = ["store_id"] if "store_id" in scored.columns else []
    return scored.select(
        "runner_id", *store, "rank",
        pl.when(pl.col("referral")).then(pl.lit("See a clinician first")).otherwise(pl.lit(""))
        .alias("first"),
        "brand", "model", "version", "line", "size_us",
        pl.col("width").str.replace_all("_", " "), "quantity", "price_usd", "score",
        "support", "drop_mm", "sku", "shoe_id")


def shoe_label(shoe_id: str | None) -> str:
    if not shoe_id:
        return LEAVE_OUT
    return f"{NAMES.get(shoe_id, shoe_id)} ({shoe_id})"


def review_inventory(up) -> tuple[pl.DataFrame | None, str | None]:
    """An uploaded POS export: import it, show the mapping review, apply the manager's
    choices. → (the reviewed inventory, its signature) or (None, None)."""
    fmt = st.session_state.get("store-inv-format", READY)
    mapping_text = ""
    if fmt == "generic":
        mapping_text = st.text_area(
            "Column mapping (field=Column per line, or JSON)", key="store-mapping",
            placeholder="title=Description\nsize=Size\nquantity=On Hand\nsku=Item Code",
            help="Fields: sku, gtin, mpn, title, vendor, size, width, line, quantity, price, "
                 "store_id (title, size and quantity required); size_system=us|uk|eu|cm "
                 "for bare size numbers.")
        if not mapping_text.strip():
            st.caption("Name your columns above to import this file.")
            return None, None
    try:
        first, review = import_export(up.name, up.getvalue(), fmt, mapping_text)
    except GaitkeeperError as exc:
        st.error(f"Inventory export cannot be used: {getattr(exc, 'message', str(exc))}")
        return None, None
    choices: dict[str, str | None] = {}
    if review.height:
        st.markdown(f"**Mapping review** — {review.height} product title(s) to check. "
                    "Pick the catalog shoe each title is, or leave it out.")
        with st.container(key="store-mapping-review"):
            for i, row in enumerate(review.iter_rows(named=True)):
                opts = [LEAVE_OUT] + [shoe_label(c) for c in (
                    row["matched"], row["candidate_1"], row["candidate_2"], row["candidate_3"])
                    if c]
                opts = list(dict.fromkeys(opts))
                default = opts.index(shoe_label(row["choice"]))
                how = ("matched with confidence " f"{row['match_score']:.0f}"
                       if row["matched"] else f"not imported: {row['reason'] or 'no match'}")
                pick = st.selectbox(f"{row['title']} — {row['rows']} row(s); {how}", opts,
                                    index=default, key=f"store-map-{i}")
                choices[row["title"].strip()] = (None if pick == LEAVE_OUT
                                                 else pick.rsplit("(", 1)[1].rstrip(")"))
        edited = review.with_columns(pl.Series("choice", list(choices.values()),
                                               dtype=pl.String))
        changed = tuple(sorted(decisions(edited).items(), key=lambda kv: kv[0]))
        result, _ = import_export(up.name, up.getvalue(), fmt, mapping_text, changed)
    else:
        edited, changed, result = review, (), first
    st.success(f"{result.imported:,} inventory row(s) imported from {up.name}; "
               f"{result.to_review:,} not imported (in the review file).",
               icon=":material/check:")
    d1, d2, d3 = st.columns(3)
    download("Download the mapping review (CSV)", edited.rename(
        {k: v for k, v in REVIEW_LABELS.items() if k in edited.columns}),
        "mapping-review.csv", "store-download-mapping", d1)
    download("Download rows not imported (CSV)", result.review, "inventory.review.csv",
             "store-download-review", d2)
    download("Download the imported inventory (CSV)", result.inventory, "inventory.csv",
             "store-download-inventory", d3)
    if result.inventory.height == 0:
        st.error("No row of the export could be imported: see the rows not imported.")
        return None, None
    digest = hashlib.sha256(up.getvalue()).hexdigest()
    signature = f"export:{up.name}:{digest}:{fmt}:{mapping_text}:{changed}"
    return result.inventory, signature


# ---------------------------------------------------------------------------------- page
cat = catalog()
NAMES = {r["shoe_id"]: f"{r['brand']} {r['model']} {r['version']}"
         for r in cat.frame.select("shoe_id", "brand", "model", "version").iter_rows(named=True)}
page_header("Store inventory", "Score your store's stock against your customers: each runner's "
            "best in-stock matches in their size and width, by the same rules as the shoe finder.")

source = st.radio("Data", [SAMPLES, UPLOADS], key="store-source", horizontal=True,
                  label_visibility="collapsed")
if source == UPLOADS:
    st.info("**Two files:** your **inventory** — a gaitkeeper inventory (one row per SKU: "
            "`sku, shoe_id, size_us, width, quantity`, optional `price_usd, store_id, line`) or "
            "an export straight from Shopify, Square, Lightspeed or another system — and your "
            "**runners** (one row per customer; only `runner_id` is required — every other "
            "column is an optional answer, empty = unknown). A runner can download their own "
            "row from the shoe finder's plan.", icon=":material/upload_file:")
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
imported: pl.DataFrame | None = None
imported_sig: str | None = None
imported_label = ""
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
        elif kind == "inventory" and st.selectbox(
                "Inventory file", list(FORMAT_LABELS), key="store-inv-format",
                format_func=FORMAT_LABELS.get) != READY:
            sources[kind] = None
            up = st.file_uploader("Export (CSV or XLSX)", type=EXPORT_TYPES,
                                  key="store-upload-export")
            if up is not None:
                imported, imported_sig = review_inventory(up)
                imported_label = up.name
            continue
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

inv_src = sources.get("inventory")
have = {"inventory": inv_src is not None or imported is not None,
        "runners": sources.get("runners") is not None}
missing = [title.lower() for kind, title in KINDS.items() if not have[kind]]
ready = not missing
left, mid, right = st.columns([1, 1, 3], vertical_alignment="bottom")
top = left.number_input("Matches per runner", min_value=1, max_value=MAX_TOP, value=5,
                        key="store-top", help="Only changes what is shown; no re-scoring.")
min_score = mid.number_input(
    "Minimum score", min_value=0.0, max_value=100.0, value=MIN_MATCH_SCORE, step=5.0,
    key="store-min-score", help="A runner counts as served only by a match scoring at least "
    "this (0-100). Below it the shoe misses on two or more fit criteria: still listed, not "
    "counted. Changing it needs a new run.")
why = (f"Add a valid {' and a valid '.join(missing)} file above." if missing else None)
go = right.button("Score the inventory", type="primary", key="store-score", disabled=not ready,
                  icon=":material/play_arrow:", help=why or "Score every runner against "
                  "the stock (per store when the inventory names its stores).")
if missing:
    st.caption(f"To score, add a valid {' and a valid '.join(missing)} file above.")

signature = None
if ready:
    inv_sig = inv_src.signature if inv_src is not None else imported_sig
    signature = f"{inv_sig}|{sources['runners'].signature}|{min_score}"  # type: ignore[union-attr]
if go and ready:
    run = sources["runners"]
    assert run is not None and signature is not None
    if inv_src is not None:
        inv_label, inv_frame = inv_src.label, inv_src.raw()
    else:
        assert imported is not None
        inv_label, inv_frame = imported_label, imported
    try:
        st.session_state[RESULT] = run_scoring(inv_label, inv_frame, run, float(min_score),
                                               signature)
    except GaitkeeperError as exc:
        st.session_state.pop(RESULT, None)
        st.error(f"Scoring stopped: {exc}")

result: StoreResult | None = st.session_state.get(RESULT)
if result is not None and result.signature != signature:
    st.info("The files, the mapping review or the minimum score changed since the last "
            "run: score again to update.")
    result = None
if result is None and ready and not go:
    st.caption("Nothing scored yet: press **Score the inventory**.")

if result is not None:
    s = result.summary
    st.divider()
    has_stores = "store_id" in result.scored.columns
    store_names = sorted(result.stocked.get_column("store_id").unique().to_list()) \
        if has_stores else []
    store = ALL_STORES
    if len(store_names) > 1:
        store = st.selectbox("Store", [ALL_STORES, *store_names], key="store-id",
                             help="Each store's own matches, coverage and unmatched runners "
                             "(a runner's top matches are ranked per store).")
    elif store_names:
        store = store_names[0]
    one = store != ALL_STORES
    scored = result.scored.filter(pl.col("store_id") == store) if one and has_stores \
        else result.scored
    cov = result.coverage
    if has_stores:
        cov_key = store if one else (ANY_STORE if len(store_names) > 1 else store_names[0])
        cov = cov.filter(pl.col("store_id") == cov_key).drop("store_id")
    unmatched = result.unmatched.filter(pl.col("store_id") == store) if one and has_stores \
        else result.unmatched
    overall = cov.filter(pl.col("segment") == "all").row(0, named=True) if cov.height else None
    not_served = overall["runners"] - overall["runners_with_match"] if overall else 0
    matches = readable(scored)
    referred = matches.filter(pl.col("first") != "").get_column("runner_id").n_unique()
    m = st.columns(6)
    m[0].metric("Runners scored", f"{s.runners_scored:,}")
    m[1].metric("Runner rows rejected", f"{s.runners_rejected:,}")
    m[2].metric("Inventory rows rejected", f"{s.inventory_rejected:,}")
    m[3].metric("Runners with no match", f"{not_served:,}",
                help=f"No match scoring {result.min_score:g} or more"
                + ("" if one or not has_stores else " in any store") + f"; of them "
                f"{overall['runners_no_catalog_shoe'] if overall else 0:,} have no catalog "
                "shoe that passes their own filters (no stock can fix that).")
    m[4].metric("To see a clinician first", f"{referred:,}")
    m[5].metric("Match rows", f"{matches.filter(pl.col('rank') <= top).height:,}")

    st.subheader("Coverage by runner segment")
    if overall:
        where = f" at **{store}**" if one else (" in **any store**" if len(store_names) > 1
                                                else "")
        st.markdown(
            f"**{overall['share']:.0%}** of runners have at least one in-stock match scoring "
            f"{result.min_score:g} or more{where}. Of the {not_served:,} without: "
            f"**{overall['runners_store_could_fix']:,}** could be served by stocking another "
            f"model, size or width; **{overall['runners_no_catalog_shoe']:,}** have no catalog "
            "shoe that passes their own filters.")
    st.altair_chart(charts.coverage_heatmap(cov), key="store-heatmap")
    download("Download coverage (CSV)", result.coverage.rename(
        {k: v for k, v in COVERAGE_LABELS.items() if k in result.coverage.columns}),
        "coverage.csv", "store-download-coverage")

    st.subheader("Under-served segments")
    worst = cov.filter(pl.col("segment") != "all").sort("share", "runners").head(5)
    worst_view = worst.with_columns(humanize_col("segment"), humanize_col("value"))
    st.dataframe(
        worst_view, hide_index=True,
        column_config={**COVERAGE_LABELS, "share": st.column_config.ProgressColumn(
            "Share served", min_value=0.0, max_value=1.0, format="percent")})

    st.subheader("What to stock next")
    from recommender.stocking import what_to_stock

    good = scored.filter(pl.col("score") >= result.min_score)
    served = good.get_column("runner_id").unique().to_list()
    stocked = result.stocked.filter(pl.col("store_id") == store) if one and has_stores \
        else result.stocked
    picks = what_to_stock(result.runners, cat, served, k=5,
                          exclude=stocked.get_column("shoe_id").unique().to_list())
    if picks.height:
        view = picks.with_columns(
            pl.col("shoe_id").replace_strict(NAMES, default=pl.col("shoe_id")).alias("Model"))
        st.caption("Models not in stock" + (f" at {store}" if one else "") + ", chosen one at "
                   "a time to reach the most runners without a match (a model reaches a runner "
                   "when it is among their own top 10 eligible shoes; runners who must see a "
                   "clinician first are left out).")
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
    if unmatched.height:
        shown_cols = [c for c in UNMATCHED_LABELS if c in unmatched.columns]
        st.dataframe(unmatched.select(shown_cols), hide_index=True,
                     column_config=UNMATCHED_LABELS)
        download("Download unmatched runners (CSV)", unmatched, "unmatched.csv",
                 "store-download-unmatched")
    else:
        st.success("Every valid runner has at least one in-stock match.")

    st.subheader("Matches")
    shown = matches.filter(pl.col("rank") <= top)
    if referred:
        st.warning(f"{referred} runner(s) must **see a clinician first**: their matches are for "
                   "after they have been checked (column *Clinician first*).",
                   icon=":material/emergency:")
    if has_stores and not one:
        st.caption("Each runner's top matches are ranked per store (column *Store*).")
    st.dataframe(shown.head(1000), hide_index=True, column_config={
        **MATCH_LABELS, "price_usd": st.column_config.NumberColumn("Price", format="$%.0f")})
    d1, d2 = st.columns(2)
    d1.download_button("Download all matches (CSV)", csv_safe_bytes(shown),
                       file_name="scored.csv", mime="text/csv", key="store-download-scored",
                       on_click="ignore", icon=":material/download:", width="stretch")
    d2.download_button("Download rejected rows (CSV)", csv_safe_bytes(result.rejects),
                       file_name="scored.rejects.csv", mime="text/csv",
                       key="store-download-rejects", on_click="ignore",
                       icon=":material/download:", width="stretch")
    st.caption("CSV downloads are safe to open in a spreadsheet: cells that would run as a "
               "formula are neutralised.")
elif not ready and source == UPLOADS:
    st.caption("Upload both files to see coverage, matches and what to stock next.")
