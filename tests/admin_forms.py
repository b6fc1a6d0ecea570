"""Posting an admin change form as staff would: the page's own values, with the changes staff typed."""

from django.forms import BaseForm


def _values(form: BaseForm) -> dict:
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if callable(value):
            value = value()
        key = form.add_prefix(name)
        if value is None:
            data[key] = ""
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[key] = str(getattr(value, "pk", value))
    return data


def form_data(client, url: str, **changes) -> dict:
    """The POST body of the admin form at `url` as it stands, inlines included, with `changes` applied."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = _values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({formset.management_form.add_prefix(k): v for k, v in formset.management_form.initial.items()})
        for form in formset.initial_forms:
            data.update(_values(form))
    data.update({key: value for key, value in changes.items()})
    return {key: value for key, value in data.items() if value is not False}


def field_errors(response) -> dict[str, list[str]]:
    """The form's errors by field, the change refused (the page is shown again rather than redirected)."""
    assert response.status_code == 200, "the form was accepted"
    errors = {name: [str(e) for e in errs] for name, errs in response.context["adminform"].form.errors.items()}
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            for name, errs in form.errors.items():
                errors.setdefault(f"{form.prefix}-{name}", []).extend(str(e) for e in errs)
    return errors
