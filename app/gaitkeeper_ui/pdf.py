"""The plan as a PDF: the Markdown report (``Recommendation.to_markdown``) laid out with
fpdf2 (pure Python; the ``app`` extra). Headings, bullets, bold and plain paragraphs — the
report uses nothing else. Built-in fonts cover Latin-1, so other characters are spelled
out (→ as ->, ≥ as >=, …) rather than dropped."""

from __future__ import annotations

import re

_REPLACE = {"→": "->", "←": "<-", "≥": ">=", "≤": "<=", "–": "-", "—": " - ", "’": "'",
            "‘": "'", "“": '"', "”": '"', "…": "...", "×": "x", "·": "-", "•": "-",
            "½": "1/2", "≈": "~", "−": "-", "\u00a0": " ", "✓": "yes", "✗": "no"}


def latin1(text: str) -> str:
    for k, v in _REPLACE.items():
        text = text.replace(k, v)
    return text.encode("latin-1", "replace").decode("latin-1")


def _inline(text: str) -> str:
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)  # links: text (url)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"(?<!\*)\*(?!\*)([^*]+)(?<!\*)\*(?!\*)", r"\1", text)  # *italic* → plain
    return latin1(text)


def available() -> bool:
    """Whether fpdf2 is installed (found, not imported: the import waits for a click)."""
    from importlib.util import find_spec

    return find_spec("fpdf") is not None


def markdown_to_pdf(markdown: str, title: str = "gaitkeeper plan") -> bytes:
    """A simple, readable A4 PDF of a Markdown report."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(latin1(title))
    pdf.set_author("gaitkeeper")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_margins(18, 18, 18)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for raw in markdown.splitlines():
        line = raw.rstrip()
        if not line.strip():
            pdf.ln(2)
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if heading:
            size = {1: 17, 2: 14, 3: 12}.get(len(heading.group(1)), 11)
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", size)
            pdf.multi_cell(width, size * 0.55, _inline(heading.group(2)).replace("**", ""))
            pdf.ln(1)
            continue
        if line.lstrip().startswith("|"):  # tables: one row per line, cells separated
            if re.match(r"^\s*\|[\s:|-]+\|\s*$", line):
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            pdf.set_font("Helvetica", "", 9)
            pdf.multi_cell(width, 5, _inline("  |  ".join(cells)), markdown=True)
            continue
        bullet = re.match(r"^(\s*)[-*]\s+(.*)$", line)
        pdf.set_font("Helvetica", "", 10)
        if bullet:
            indent = 4 + 2 * len(bullet.group(1))
            pdf.set_x(pdf.l_margin + indent)
            pdf.multi_cell(width - indent, 5.2, "- " + _inline(bullet.group(2)), markdown=True)
        else:
            pdf.multi_cell(width, 5.2, _inline(line.lstrip("> ")), markdown=True)
    return bytes(pdf.output())
