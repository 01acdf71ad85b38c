import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reciprocity.lib.forms import date_field
from reciprocity.reports.content import Period, ReportError


class PeriodForm(forms.Form):
    start = date_field(_("From"))
    end = date_field(_("To"))

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        today = timezone.localdate()
        month = Period.month_of(today - datetime.timedelta(days=today.day))  # last month
        data = {"start": month.start.isoformat(), "end": month.end.isoformat()} | (dict(data.items()) if data else {})
        super().__init__(data, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "start" in cleaned and "end" in cleaned:
            try:
                cleaned["period"] = Period(cleaned["start"], cleaned["end"])
            except ReportError as problem:
                raise forms.ValidationError(str(problem)) from None
        return cleaned
