"""The staff's insight builder: pick-lists for events, measurements, filters and breakdowns, checked by the same
domain rules as the API (`insights.definition`)."""

import re
from datetime import UTC, datetime, time, timedelta

from django import forms

from accounts.errors import DomainError
from accounts.models import Contact

from .catalogue import EVENTS, OPERATOR_LABELS, PROPERTIES, Kind, Measurement, Operator
from .definition import (
    MAX_BREAKDOWNS,
    MAX_EVENTS,
    MAX_LIMIT,
    check_together,
    parse_breakdowns,
    parse_events,
    parse_filters,
)
from .models import Insight
from .periods import Frequency, Interval

EVENT_ROWS = MAX_EVENTS
FILTER_ROWS = 5
NONE = [("", "—")]
# Where a domain error's attribute shows in the form: events[1].measurement → measurement_2.
PLACES = [
    (re.compile(r"^events\[(\d+)\]\.(event|measurement|name)$"), lambda n, part: f"{_EVENT_PARTS[part]}_{n}"),
    (re.compile(r"^events\[(\d+)\]$"), lambda n: f"event_{n}"),
    (re.compile(r"^filters\[(\d+)\]\.(property|operator|values)$"), lambda n, part: f"{part}_{n}"),
    (re.compile(r"^breakdowns\[(\d+)\]\.dimension$"), lambda n: f"breakdown_{n}"),
    (re.compile(r"^limit$"), lambda: "breakdown_limit"),
]
_EVENT_PARTS = {"event": "event", "measurement": "measurement", "name": "series_name"}


def _builder_fields() -> dict:
    """One row of pick-lists per event (up to five), per filter and per breakdown."""
    events = [(name, event.label) for name, event in EVENTS.items()]
    properties = [(name, prop.label) for name, prop in PROPERTIES.items()]
    dimensions = [(name, prop.label) for name, prop in PROPERTIES.items() if prop.can_break_down]
    fields = {}
    for n in range(1, EVENT_ROWS + 1):
        fields[f"event_{n}"] = forms.ChoiceField(choices=NONE + events, required=False, label=f"Event {n}")
        fields[f"measurement_{n}"] = forms.ChoiceField(choices=Measurement.choices, required=False, label="Measured as")
        fields[f"series_name_{n}"] = forms.CharField(required=False, max_length=100, label="Shown as")
    for n in range(1, FILTER_ROWS + 1):
        fields[f"property_{n}"] = forms.ChoiceField(choices=NONE + properties, required=False, label=f"Filter {n}")
        fields[f"operator_{n}"] = forms.ChoiceField(
            choices=[(o.value, OPERATOR_LABELS[o]) for o in Operator], required=False, label="Condition"
        )
        fields[f"values_{n}"] = forms.CharField(
            required=False,
            label="Values",
            help_text="Names as staff know them (a team's name, a contact's code); several with commas."
            if n == 1
            else "",
        )
    for n in range(1, MAX_BREAKDOWNS + 1):
        label = "Break down by" if n == 1 else "and then by"
        fields[f"breakdown_{n}"] = forms.ChoiceField(choices=NONE + dimensions, required=False, label=label)
    fields["breakdown_limit"] = forms.IntegerField(
        min_value=1,
        max_value=MAX_LIMIT,
        initial=10,
        help_text="Values kept per breakdown; the rest are summed as Other.",
    )
    return fields


class InsightFormBase(forms.ModelForm):
    class Meta:
        model = Insight
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self._fill(self.instance)

    def _fill(self, insight: Insight) -> None:
        for n, choice in enumerate(insight.events, start=1):
            self.initial.update(
                {
                    f"event_{n}": choice["event"],
                    f"measurement_{n}": choice["measurement"],
                    f"series_name_{n}": choice["name"],
                }
            )
        for n, condition in enumerate(insight.filters, start=1):
            values = ", ".join(_shown(PROPERTIES[condition["property"]], condition["values"]))
            self.initial.update(
                {f"property_{n}": condition["property"], f"operator_{n}": condition["operator"], f"values_{n}": values}
            )
        for n, dimension in enumerate(insight.breakdowns, start=1):
            self.initial[f"breakdown_{n}"] = dimension
        self.initial["breakdown_limit"] = insight.breakdown_limit

    def clean(self):
        data = super().clean()
        self.definition = {"events": [], "filters": [], "breakdowns": [], "limit": data.get("breakdown_limit")}
        rows = {"events": [], "filters": [], "breakdowns": []}
        for n in range(1, EVENT_ROWS + 1):
            if data.get(f"event_{n}"):
                rows["events"].append(n)
                self.definition["events"].append(
                    {
                        "event": data[f"event_{n}"],
                        "measurement": data.get(f"measurement_{n}") or Measurement.COUNT.value,
                        "name": data.get(f"series_name_{n}") or "",
                    }
                )
        for n in range(1, FILTER_ROWS + 1):
            if data.get(f"property_{n}"):
                rows["filters"].append(n)
                typed = [value.strip() for value in (data.get(f"values_{n}") or "").split(",") if value.strip()]
                raw = _understood(PROPERTIES[data[f"property_{n}"]], typed)
                self.definition["filters"].append(
                    {"property": data[f"property_{n}"], "operator": data.get(f"operator_{n}"), "values": raw}
                )
        rows["breakdowns"] = [n for n in range(1, MAX_BREAKDOWNS + 1) if data.get(f"breakdown_{n}")]
        self.definition["breakdowns"] = [{"dimension": data[f"breakdown_{n}"]} for n in rows["breakdowns"]]
        if not self.definition["events"]:
            self.add_error("event_1", "Choose at least one event to chart.")
            return data
        try:
            events = parse_events(self.definition["events"])
            filters = parse_filters(self.definition["filters"])
            breakdowns, _ = parse_breakdowns(self.definition["breakdowns"], self.definition["limit"])
            check_together(events, filters, breakdowns)
        except DomainError as error:
            self.add_error(_place(error, rows), _words(error.message))
        return data


def _place(error: DomainError, rows: dict) -> str | None:
    """The form field a domain error is about: its n-th entry is the n-th row filled in."""
    attribute = error.field or ""
    for pattern, name in PLACES:
        match = pattern.match(attribute)
        if match:
            kind = attribute.split("[", 1)[0]
            groups = [rows[kind][int(g)] if g.isdigit() else g for g in match.groups()]
            return name(*groups)
    return None


def _shown(prop, values: list) -> list[str]:
    """Stored values as staff typed them: a choice's label, a team's name, a contact's code."""
    if prop.kind == Kind.CHOICE:
        labels = dict(prop.choices)
        return [labels.get(value, value) for value in values]
    if prop.names is None:
        return [str(value) for value in values]
    model, name_field = prop.names
    field = "code" if model is Contact else name_field
    names = {str(pk): name for pk, name in model.objects.filter(pk__in=values).values_list("pk", field)}
    return [names.get(value) or value for value in values]


def _understood(prop, typed: list[str]) -> list[str]:
    """What staff typed, as the domain takes it: labels and names become codes and ids; the rest is left for the
    domain to check (and refuse with its own words)."""
    if prop.kind == Kind.CHOICE:
        codes = {label.lower(): code for code, label in prop.choices} | {c.lower(): c for c, _ in prop.choices}
        return [codes.get(text.lower(), text) for text in typed]
    if prop.names is None:
        return typed
    model, name_field = prop.names
    field = "code" if model is Contact else name_field
    understood = []
    for text in typed:
        match = model.objects.filter(**{f"{field}__iexact": text}).values_list("pk", flat=True).first()
        understood.append(str(match) if match else text)
    return understood


def _words(message: str) -> str:
    """The domain's message without the API attribute it starts with (the field shows where)."""
    return re.sub(r"^[\w\[\]\.]+: ", "", message)


class PeriodForm(forms.Form):
    """The period a chart shows: a frequency, or from and to dates (the last 30 days when blank)."""

    frequency = forms.ChoiceField(
        choices=[("", "From – to (last 30 days when blank)"), *Frequency.choices], required=False, label="Period"
    )
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    interval = forms.ChoiceField(choices=Interval.choices, required=False, initial=Interval.DAY, label="By")

    def params(self) -> dict:
        """The form as the API's period parameters (epoch seconds; `to` includes its whole day)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        params = {"interval": data.get("interval") or Interval.DAY}
        if data.get("frequency"):
            params["frequency"] = data["frequency"]
        else:
            for name, extra_days in (("date_from", 0), ("date_to", 1)):
                if data.get(name):
                    midnight = datetime.combine(data[name] + timedelta(days=extra_days), time.min, tzinfo=UTC)
                    params[name] = int(midnight.timestamp())
        return params


InsightForm = type(forms.ModelForm)("InsightForm", (InsightFormBase,), {"__module__": __name__, **_builder_fields()})
