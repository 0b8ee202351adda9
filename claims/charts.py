"""Bar charts as numbers for an inline SVG template (no JavaScript, no CDN, CSP-safe)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    flagged: bool


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    bars: list[Bar]
    max_text: str
    reference_y: float | None = None
    reference_text: str = ""

    @property
    def is_empty(self) -> bool:
        """Nothing to draw: no bar, or every bar n/a or zero (an axis alone says nothing)."""
        return not any(bar.height > 0 for bar in self.bars)


def bar_chart(
    *,
    title: str,
    items: list[tuple[str, Decimal | None]],
    fmt,
    reference: Decimal | None = None,
    reference_text: str = "",
    width: int = 520,
    height: int = 220,
) -> BarChart:
    """Vertical bars; a None value draws no bar but keeps its slot and says 'n/a'.

    `reference` draws a dashed line (e.g. a 60% target loss ratio); bars above it are flagged.
    """
    plot_top, plot_bottom, left = 24, height - 36, 8
    values = [v for _, v in items if v is not None]
    top = max([*values, reference or Decimal(0), Decimal(0)])
    top = top if top > 0 else Decimal(1)
    slot = (width - 2 * left) / max(len(items), 1)
    bar_width = max(min(slot * 0.6, 80), 4)
    span = plot_bottom - plot_top
    bars = []
    for index, (label, value) in enumerate(items):
        x = left + index * slot + (slot - bar_width) / 2
        h = float(max(value, Decimal(0)) / top) * span if value is not None else 0.0
        bars.append(
            Bar(
                label=label,
                value_text=fmt(value) if value is not None else "n/a",
                x=round(x, 1),
                y=round(plot_bottom - h, 1),
                width=round(bar_width, 1),
                height=round(h, 1),
                label_x=round(x + bar_width / 2, 1),
                flagged=reference is not None and value is not None and value > reference,
            )
        )
    described = "; ".join(f"{b.label}: {b.value_text}" for b in bars)
    reference_y = None
    if reference is not None:
        reference_y = round(plot_bottom - float(reference / top) * span, 1)
    return BarChart(
        title=title,
        description=described,
        width=width,
        height=height,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        bars=bars,
        max_text=fmt(top),
        reference_y=reference_y,
        reference_text=reference_text,
    )
