"""Small line drawings for the questionnaire (inline SVG, no files): where the foot lands
and what a wet footprint looks like for each arch."""

from __future__ import annotations

from html import escape

_FOOT = ("M30 10 C48 10 54 30 52 52 C50 74 50 92 46 110 C42 126 20 128 16 112 "
         "C12 96 16 76 14 56 C12 32 14 10 30 10 Z")
_ZONES = {"forefoot": (8, 44), "midfoot": (44, 82), "heel": (82, 126)}
_ARCH = {  # the inner edge of a wet print: flat fills it, high leaves a thin outer band
    "flat": "M30 10 C48 10 54 30 52 52 C50 74 50 92 46 110 C42 126 20 128 16 112 "
            "C12 96 14 76 14 56 C12 32 14 10 30 10 Z",
    "normal": "M30 10 C48 10 54 30 52 52 C50 74 50 92 46 110 C42 126 20 128 16 112 "
              "C14 98 30 84 30 64 C30 44 14 32 16 24 C18 14 24 10 30 10 Z",
    "high": "M30 10 C48 10 54 30 52 52 C50 74 50 92 46 110 C42 126 22 128 20 114 "
            "C30 110 44 94 44 72 C44 52 26 40 20 26 C20 16 24 10 30 10 Z",
}


def _svg(body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 66 136" width="54" '
            f'height="110">{body}</svg>')


def strike_svg(zone: str) -> str:
    """A foot seen from below with the part that lands first shaded."""
    y0, y1 = _ZONES.get(zone, (0, 0))
    return _svg(
        f'<defs><clipPath id="f-{zone}"><path d="{_FOOT}"/></clipPath></defs>'
        f'<path d="{_FOOT}" fill="#eef3f1" stroke="#4a5a55" stroke-width="2"/>'
        f'<rect x="0" y="{y0}" width="66" height="{y1 - y0}" fill="#1f7a5c" opacity="0.75" '
        f'clip-path="url(#f-{zone})"/>')


def arch_svg(arch: str) -> str:
    """A wet footprint for a flat, normal or high arch."""
    return _svg(f'<path d="{_FOOT}" fill="none" stroke="#b9c4c0" stroke-width="1.5" '
                f'stroke-dasharray="3 3"/><path d="{_ARCH.get(arch, _FOOT)}" fill="#2f6f9f" '
                f'opacity="0.8"/>')


def _inner(svg: str) -> str:
    return svg[svg.index(">") + 1:svg.rindex("</svg>")]


def row_svg(kind: str, choices: list[tuple[str, str]]) -> str:
    """One picture with a drawing per choice and its words under it (``kind``: ``strike``
    or ``arch``), for ``st.image``."""
    draw = strike_svg if kind == "strike" else arch_svg
    cell = 120
    parts = []
    for i, (value, words) in enumerate(choices):
        x = i * cell
        parts.append(f'<g transform="translate({x + 33},0)">{_inner(draw(value))}</g>'
                     f'<text x="{x + 66}" y="152" font-family="sans-serif" font-size="14" '
                     f'text-anchor="middle" fill="#333">{escape(words)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {cell * len(choices)} 160" '
            f'width="{cell * len(choices)}" height="160">{"".join(parts)}</svg>')
