"""An insight's results drawn for staff: one line (or bar) per series, a legend, labelled axes.

The plot is server-rendered SVG stretched to the page's width; its labels are HTML beside it, so they stay
readable from a phone (390 px) to a desktop."""

import math
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from .catalogue import EVENTS, PROPERTIES, Measurement
from .engine import OTHER, Results

# Okabe and Ito's palette, told apart by people with any colour vision; OTHER is grey.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#8C6D31", "#000000"]
OTHER_COLOUR = "#8A8A8A"
WIDTH, HEIGHT = 1000, 240
# Up to this many buckets each series is a bar of a group; beyond, a line.
BARS_UP_TO = 14
MEASUREMENT_WORDS = {
    Measurement.COUNT: "events",
    Measurement.UNIQUE_CONTACTS: "contacts",
    Measurement.TOTAL_AMOUNT: "total amount",
    Measurement.AVERAGE_AMOUNT: "average amount",
}


@dataclass
class Line:
    label: str
    colour: str
    values: list
    total: object
    points: str = ""
    bars: list = field(default_factory=list)


@dataclass
class Tick:
    label: str
    percent: float

    @property
    def y(self) -> float:
        return HEIGHT * self.percent / 100


@dataclass
class XLabel:
    label: str
    percent: float

    @property
    def shift(self) -> int:
        """How far left of its place the label is drawn (percent of its width), so none leaves the chart."""
        return 0 if self.percent < 5 else 100 if self.percent > 95 else 50


@dataclass
class TimeChart:
    lines: list[Line]
    kind: str
    y_ticks: list[Tick]
    x_labels: list[XLabel]
    unit: str
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def is_empty(self) -> bool:
        return not self.lines


def time_chart(results: Results) -> TimeChart:
    starts = results.buckets
    names = _value_names(results)
    lines = [
        Line(_series_label(s, names), _colour(i, s.is_other), s.values, s.total) for i, s in enumerate(results.series)
    ]
    peak = max((float(v) for line in lines for v in line.values), default=0)
    top = _round_up(peak, all(isinstance(v, int) for line in lines for v in line.values))
    kind = "bars" if len(starts) <= BARS_UP_TO else "lines"
    step = WIDTH / max(len(starts), 1)
    for index, line in enumerate(lines):
        if kind == "lines":
            xs = [WIDTH * i / max(len(starts) - 1, 1) for i in range(len(starts))]
            line.points = " ".join(f"{x:.1f},{_y(v, top):.1f}" for x, v in zip(xs, line.values, strict=True))
        else:
            width = step * 0.8 / max(len(lines), 1)
            for i, value in enumerate(line.values):
                y = _y(value, top)
                x = i * step + step * 0.1 + index * width
                line.bars.append(
                    {"x": round(x, 1), "y": round(y, 1), "width": round(width, 1), "height": round(HEIGHT - y, 1)}
                )
    ticks = [Tick(_number(top * k / 4), 100 - 25 * k) for k in range(5)]
    measurements = {s.choice.measurement for s in results.series}
    unit = MEASUREMENT_WORDS[measurements.pop()] if len(measurements) == 1 else "value"
    return TimeChart(lines, kind, ticks, _x_labels(starts, results.period.interval, kind), unit)


def _y(value, top: float) -> float:
    return HEIGHT - HEIGHT * float(value) / top if top else HEIGHT


def _round_up(peak: float, whole: bool) -> float:
    """The axis' top: four steps of 1, 2, 2.5 or 5 times a power of ten reaching the peak (whole steps for
    counts)."""
    if peak <= 0:
        return 4
    magnitude = 10 ** math.floor(math.log10(peak / 4))
    step = next(magnitude * f for f in (1, 2, 2.5, 5, 10) if magnitude * f * 4 >= peak)
    return max(step, 1) * 4 if whole else step * 4


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{Decimal(str(value)).normalize():,}"


def _x_labels(starts: list[datetime], interval: str, kind: str) -> list[XLabel]:
    """The first, middle and last bucket's dates under their line points or bar groups: enough to read the axis,
    few enough for a phone."""
    if not starts:
        return []
    count = len(starts)
    shown = sorted({0, count // 2, count - 1}) if count > 2 else list(range(count))
    fmt = "%b %Y" if interval == "MONTH" else "%d %b %Y"

    def place(i: int) -> float:
        return 100 * (i + 0.5) / count if kind == "bars" else 100 * i / max(count - 1, 1)

    return [XLabel(starts[i].strftime(fmt).lstrip("0"), round(place(i), 2)) for i in shown]


def _colour(index: int, is_other: bool) -> str:
    return OTHER_COLOUR if is_other else PALETTE[index % len(PALETTE)]


def _value_names(results: Results) -> dict:
    """The staff names of every breakdown value shown: one lookup per dimension."""
    shown: dict[str, set] = {}
    for series in results.series:
        for dimension, value in (series.breakdown or {}).items():
            if value not in (None, OTHER):
                shown.setdefault(dimension, set()).add(value)
    return {dimension: PROPERTIES[dimension].value_labels(values) for dimension, values in shown.items()}


def _series_label(series, names: dict) -> str:
    event = EVENTS[series.choice.event].label
    name = series.choice.name if series.choice.name != series.choice.event else event
    if not series.breakdown:
        return name
    words = []
    for dimension, value in series.breakdown.items():
        if value == OTHER:
            words.append("Other")
        elif value is None:
            words.append(f"No {PROPERTIES[dimension].label.lower()}")
        else:
            words.append(str(names.get(dimension, {}).get(value, value)))
    return f"{name} · {' · '.join(words)}"
