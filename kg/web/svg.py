"""Charts drawn on the server as SVG, readable without JavaScript: bars per year (questions asked)
and a timeline of periods (offices held). Every value is escaped; the chart and each mark have a
<title> (their accessible names: a `role` attribute would read as an RDFa statement)."""

from __future__ import annotations

from datetime import date
from html import escape

from markupsafe import Markup


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def bars(values: list[tuple[str, int]], label: str) -> Markup:
    """Vertical bars, one per (name, count), named under each bar and counted above it."""
    if not values:
        return Markup("")
    width, height, gap = 36, 120, 6
    top = max(count for _, count in values) or 1
    out = [
        f'<svg class="bars" viewBox="0 0 {len(values) * (width + gap)} {height + 36}"'
        f' width="{len(values) * (width + gap)}" height="{height + 36}"><title>{_e(label)}</title>'
    ]
    for index, (name, count) in enumerate(values):
        x = index * (width + gap)
        h = round(height * count / top)
        y = 16 + height - h
        out.append(
            f'<g><title>{_e(name)}: {count}</title><rect class="bar" x="{x}" y="{y}" width="{width}" height="{h}"/>'
            f'<text class="value" x="{x + width / 2}" y="{y - 3}" text-anchor="middle">{count}</text>'
            f'<text class="label" x="{x + width / 2}" y="{height + 32}" text-anchor="middle">{_e(name)}</text></g>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def timeline(periods: list[tuple[str, str | None, str | None]], label: str, today: str) -> Markup:
    """Horizontal bars, one row per (name, start, end) in ISO dates; an open end runs to `today`
    (the latest date in the data, never the clock). Periods without a start are left out."""
    dated = [(name, start, end) for name, start, end in periods if start]
    if not dated:
        return Markup("")
    first = min(date.fromisoformat(start[:10]) for _, start, _ in dated if start)
    last = max(date.fromisoformat((end or today)[:10]) for _, _, end in dated)
    span = max((last - first).days, 1)
    width, row, left = 640, 22, 0
    out = [
        f'<svg class="timeline" viewBox="0 0 {width} {row * len(dated) + 20}"'
        f' width="{width}" height="{row * len(dated) + 20}"><title>{_e(label)}</title>'
    ]
    for index, (name, start, end) in enumerate(dated):
        assert start is not None
        begin = date.fromisoformat(start[:10])
        finish = date.fromisoformat((end or today)[:10])
        x = left + round(width * (begin - first).days / span)
        w = max(round(width * (finish - begin).days / span), 3)
        y = index * row
        out.append(
            f"<g><title>{_e(name)}: {_e(start)} – {_e(end or '…')}</title>"
            f'<rect class="period" x="{x}" y="{y + 2}" width="{w}" height="{row - 6}"/></g>'
        )
    out.append(
        f'<text class="label" x="0" y="{row * len(dated) + 16}">{first.year}</text>'
        f'<text class="label" x="{width}" y="{row * len(dated) + 16}" text-anchor="end">{last.year}</text></svg>'
    )
    return Markup("".join(out))
