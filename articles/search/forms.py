"""The search form: the query and the filters, all from the URL so that a search is a link.

    /search/?q=人材&speaker=12&role=CIO&forum=tokyo-cio-forum&roundtable=4&year=2021
    /search/?from=2021-04-01&until=2022-03-31&order=relevance

Values are NFKC-normalised first (full-width digits and letters accepted) and control
characters removed. Anything unusable is a form error in Japanese naming the field.
"""

import calendar
import datetime
import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from articles.search.query import ORDERS, SearchRequest
from articles.search.text import clean_query, parse_query
from articles.visibility import public_forums, public_people, public_roundtables

MAX_QUERY_LENGTH = 200
_DATE = re.compile(r"^(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?$")


def clean_params(querydict):
    """{name: value} of the GET parameters, each NFKC-normalised without control characters."""
    return {
        name: clean_query(value).strip()
        if name == "q"
        else "".join(ch for ch in unicodedata.normalize("NFKC", value) if unicodedata.category(ch)[0] != "C").strip()
        for name, value in querydict.items()
    }


class DateBoundField(forms.CharField):
    """2021, 2021-04 or 2021-04-01 (also 2021/4/1, 2021年4月1日): a year or month stands for
    its first day as a start and its last day as an end."""

    def __init__(self, *, end, **kwargs):
        self.end = end
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = _DATE.match(value) if len(value) <= 20 else None
        try:
            if not match:
                raise ValueError
            year, month, day = (int(part) if part else None for part in match.groups())
            if month is None:
                month = 12 if self.end else 1
            if day is None:
                day = calendar.monthrange(year, month)[1] if self.end else 1
            return datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(
                _("「%(label)s」は 2021-04-01 のような日付(または 2021、2021-04)で入力してください。"),
                params={"label": self.label},
            ) from None


class SearchForm(forms.Form):
    q = forms.CharField(label=_("検索語"), required=False)
    speaker = forms.IntegerField(label=_("発言者"), required=False, min_value=1, max_value=2**31 - 1)
    role = forms.CharField(label=_("当時の肩書き(役職・ロール)"), required=False, max_length=50)
    forum = forms.SlugField(label=_("フォーラム"), required=False)
    roundtable = forms.IntegerField(label=_("座談会"), required=False, min_value=1, max_value=2**31 - 1)
    year = forms.IntegerField(label=_("開催年"), required=False, min_value=1900, max_value=2100)
    order = forms.ChoiceField(label=_("並び順"), required=False, choices=ORDERS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: these two are added by name.
        self.fields["from"] = DateBoundField(label=_("開催日(から)"), end=False)
        self.fields["until"] = DateBoundField(label=_("開催日(まで)"), end=True)
        for name in ("speaker", "roundtable", "year"):
            self.fields[name].error_messages["invalid"] = _(
                "「%(label)s」は半角または全角の数字で入力してください。"
            ) % {"label": self.fields[name].label}
        self.fields["q"].error_messages["max_length"] = _(
            "検索語は%(limit)d文字以内で入力してください(%(length)d文字あります)。"
        )
        self.fields["role"].error_messages["max_length"] = _("「当時の肩書き」は50文字以内で入力してください。")
        self.fields["year"].error_messages["min_value"] = self.fields["year"].error_messages["max_value"] = _(
            "「開催年」は1900から2100までの西暦で入力してください。"
        )
        for name in ("speaker", "roundtable"):
            self.fields[name].error_messages["min_value"] = self.fields[name].error_messages["max_value"] = _(
                "「%(label)s」の番号が正しくありません。"
            ) % {"label": self.fields[name].label}
        self.fields["forum"].error_messages["invalid"] = _("「フォーラム」の指定が正しくありません。")
        self.fields["order"].error_messages["invalid_choice"] = _("「並び順」は新しい順か関連度順を選んでください。")

    def clean_q(self):
        value = self.cleaned_data["q"]
        if len(value) > MAX_QUERY_LENGTH:
            raise forms.ValidationError(
                self.fields["q"].error_messages["max_length"] % {"limit": MAX_QUERY_LENGTH, "length": len(value)}
            )
        return value

    def clean_speaker(self):
        pk = self.cleaned_data["speaker"]
        if pk is None:
            return None
        person = public_people().filter(pk=pk).first()
        if person is None:
            raise forms.ValidationError(_("「発言者」に指定された人物(番号%(pk)d)は見つかりません。") % {"pk": pk})
        return person

    def clean_forum(self):
        slug = self.cleaned_data["forum"]
        if not slug:
            return None
        forum = public_forums().filter(slug=slug).first()
        if forum is None:
            raise forms.ValidationError(_("「フォーラム」に指定された「%(slug)s」は見つかりません。") % {"slug": slug})
        return forum

    def clean_roundtable(self):
        pk = self.cleaned_data["roundtable"]
        if pk is None:
            return None
        roundtable = public_roundtables().select_related("forum").filter(pk=pk).first()
        if roundtable is None:
            raise forms.ValidationError(_("「座談会」に指定された座談会(番号%(pk)d)は見つかりません。") % {"pk": pk})
        return roundtable

    def clean(self):
        data = super().clean()
        start, end, year = data.get("from"), data.get("until"), data.get("year")
        if year:
            start = max(start, datetime.date(year, 1, 1)) if start else datetime.date(year, 1, 1)
            end = min(end, datetime.date(year, 12, 31)) if end else datetime.date(year, 12, 31)
        if data.get("from") and data.get("until") and data["from"] > data["until"]:
            self.add_error("until", _("「開催日(まで)」が「開催日(から)」より前になっています。"))
        data["date_from"], data["date_until"] = start, end
        return data

    def search_request(self):
        data = self.cleaned_data
        return SearchRequest(
            terms=parse_query(data.get("q") or ""),
            query=data.get("q") or "",
            person=data.get("speaker"),
            role=data.get("role") or "",
            forum=data.get("forum"),
            roundtable=data.get("roundtable"),
            date_from=data.get("date_from"),
            date_until=data.get("date_until"),
            order=data.get("order") or ORDERS[0][0],
        )
