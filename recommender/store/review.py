"""The manager's mapping review of an imported export (SPEC §7.4, issue 14 item 6).

:func:`mapping_review` lists, one row per product title, what the manager should look at:
titles matched by fuzzy title only with less than :data:`CONFIRM_BELOW` confidence (the
match is imported; confirm or change it), and titles that matched nothing (their rows are
not imported; pick one of the best candidates, or leave them out). :func:`decisions`
reads the manager's choices back and :func:`apply_review` re-imports the export with them
(:func:`recommender.store.importer.build_inventory` with ``overrides``), so the reviewed
inventory is built by the same code as the first one: sizes, widths, quantities and the
review file of the rows that still cannot be imported (for another reason than the match).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from .exports import Export
from .importer import ImportResult, build_inventory

#: A title match below this model score (0..100) is shown for the manager to confirm: an
#: exact model name scores 100; anything less was fuzzy (a misspelling, an extra word).
CONFIRM_BELOW = 100.0
TO_CONFIRM = "matched by title: please confirm"
UNMATCHED = "not matched: choose a candidate or leave out"
#: The columns of the mapping review (``choice``: the shoe the manager keeps; empty = leave
#: the title's rows out).
REVIEW_COLUMNS = ("title", "vendor", "status", "rows", "matched", "match_score", "reason",
                  "candidate_1", "score_1", "candidate_2", "score_2", "candidate_3",
                  "score_3", "choice")


def mapping_review(result: ImportResult) -> pl.DataFrame:
    """The titles the manager should review (:data:`REVIEW_COLUMNS`), unmatched first, then
    by confidence. ``choice`` starts as the importer's own decision: the match for a title
    to confirm, empty (left out) for an unmatched one."""
    t = result.titles
    to_confirm = (pl.col("title_rows") > 0) & (pl.col("match_score") < CONFIRM_BELOW) \
        & pl.col("shoe_id").is_not_null()
    unmatched = (pl.col("unmatched_rows") > 0) & pl.col("shoe_id").is_null()
    picked = t.filter(to_confirm | unmatched)
    return picked.select(
        "title", "vendor",
        pl.when(pl.col("shoe_id").is_null()).then(pl.lit(UNMATCHED))
        .otherwise(pl.lit(TO_CONFIRM)).alias("status"),
        "rows", pl.col("shoe_id").alias("matched"), "match_score", "reason",
        "candidate_1", "score_1", "candidate_2", "score_2", "candidate_3", "score_3",
        pl.col("shoe_id").alias("choice"),
    ).sort(pl.col("matched").is_not_null(), "match_score", "title", nulls_last=True)


def options(row: Mapping[str, Any]) -> list[str]:
    """The shoes a manager may choose for one review row: the match and the candidates."""
    out: list[str] = []
    for key in ("matched", "candidate_1", "candidate_2", "candidate_3"):
        v = row.get(key)
        if v and v not in out:
            out.append(v)
    return out


def decisions(review: pl.DataFrame) -> dict[str, str | None]:
    """The edited review → ``{title: shoe_id or None}`` (None: leave the rows out)."""
    out: dict[str, str | None] = {}
    for row in review.select("title", "choice").iter_rows(named=True):
        if row["title"] is None:
            continue
        choice = (row["choice"] or "").strip() or None
        out[row["title"].strip()] = choice
    return out


def apply_review(export: Export, catalog_frame: pl.DataFrame,
                 choices: Mapping[str, str | None], *, file: str = "",
                 aliases: pl.DataFrame | None = None, **kwargs: Any) -> ImportResult:
    """Re-import ``export`` with the manager's ``choices`` (:func:`decisions`): a chosen
    shoe applies to every row of that title (``match`` = ``review``, score 100); ``None``
    leaves its rows out (in the review file, reason "left out in the mapping review").
    Raises ``ValueError`` for a shoe_id the catalog does not have."""
    return build_inventory(export, catalog_frame, aliases, file=file, overrides=choices,
                           **kwargs)
