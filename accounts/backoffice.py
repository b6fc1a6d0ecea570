"""The staff back-office's shared pages: the dashboard and the customer's page.

Each app contributes what it knows through an optional `<app>/staff.py` module with
`dashboard_attention(user)` (the counts of work waiting today), `dashboard_charts()` and/or
`customer_page(contact, request)` (extra context for the contact's page);
this module collects them in app order, so accounts never imports the apps that depend on it.
"""

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


@dataclass
class Attention:
    """One count of the dashboard's strip of work waiting today; `url` is the list that shows exactly those rows."""

    label: str
    count: int
    url: str
    tone: str = "warn"
    permission: str = ""


@dataclass
class Bar:
    """One bar; `segments` ((value, tone), …) stacks a column from the bottom up."""

    label: str
    value: int
    url: str = ""
    tone: str = ""
    segments: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Chart:
    """A chart drawn as server-rendered SVG; every bar links to the filtered list behind it.

    Bars count disjoint sets of records, so the total counts each record once.

    `kind` is "bars" (horizontal, one per category) or "columns" (vertical, stacked, e.g. per day).
    """

    title: str
    bars: list[Bar]
    url: str = ""
    note: str = ""
    kind: str = "bars"
    legend: list[tuple[str, str]] = field(default_factory=list)
    permission: str = ""

    WIDTH = 420
    LABEL_WIDTH = 180
    ROW = 24
    COLUMN_HEIGHT = 140

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    @property
    def height(self) -> int:
        return len(self.bars) * self.ROW + 4 if self.kind == "bars" else self.COLUMN_HEIGHT + 24

    def geometry(self) -> list[dict]:
        """Where each bar sits in the SVG, in user units."""
        peak = max((bar.value for bar in self.bars), default=0) or 1
        if self.kind == "bars":
            room = self.WIDTH - self.LABEL_WIDTH - 50
            return [
                {"bar": bar, "y": i * self.ROW, "width": max(1, round(room * bar.value / peak)) if bar.value else 0}
                for i, bar in enumerate(self.bars)
            ]
        step = self.WIDTH / max(1, len(self.bars))
        placed = []
        for i, bar in enumerate(self.bars):
            bottom, pieces = self.COLUMN_HEIGHT, []
            for value, tone in bar.segments or [(bar.value, bar.tone)]:
                height = round(self.COLUMN_HEIGHT * value / peak)
                bottom -= height
                pieces.append({"y": bottom, "height": height, "tone": tone, "value": value})
            placed.append({"bar": bar, "x": round(i * step + 1, 1), "width": round(step - 2, 1), "pieces": pieces})
        return placed


def _contributions(function: str):
    for app in apps.get_app_configs():
        if find_spec(f"{app.name}.staff") is None:
            continue
        contribute = getattr(import_module(f"{app.name}.staff"), function, None)
        if contribute is not None:
            yield contribute


def dashboard_attention(user) -> list[Attention]:
    counts = (count for contribute in _contributions("dashboard_attention") for count in contribute(user))
    return [count for count in counts if not count.permission or user.has_perm(count.permission)]


def dashboard_charts(user) -> list[Chart]:
    charts = (chart for contribute in _contributions("dashboard_charts") for chart in contribute())
    return [chart for chart in charts if not chart.permission or user.has_perm(chart.permission)]


def customer_page(contact, request) -> dict:
    """What the apps add to a contact's page, merged in app order (a higher app's word wins)."""
    context = {}
    for contribute in _contributions("customer_page"):
        context.update(contribute(contact, request))
    return context
