"""/search/: the search page. A bad query or filter is a 400 with the form and a Japanese
message saying which field is wrong; nothing a visitor types can cause a 500."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.translation import gettext as _

from articles.search.forms import SearchForm, clean_params
from articles.search.query import Results
from articles.visibility import public_forums
from forum.conventions import roundtable_title
from forum.web import seo
from forum.web.pagination import paginate

HITS_PER_PAGE = 20
FILTER_NAMES = ("speaker", "role", "forum", "roundtable", "year", "from", "until")


def search(request):
    params = clean_params(request.GET)
    form = SearchForm(params)
    context = {"form": form, "forums": list(public_forums().order_by("name")), "params": params}
    if not form.is_valid():
        context["meta"] = _meta(_("検索語または絞り込みの指定に誤りがあります"))
        return render(request, "search/search.html", context, status=400)
    search_request = form.search_request()
    context.update(search=search_request, filters=_active_filters(form, params))
    if search_request.is_empty:
        context["meta"] = _meta(_("発言の検索"))
        context["unusable_query"] = bool(form.cleaned_data["q"])
        return render(request, "search/search.html", context)
    results = Results(search_request)
    page = paginate(request, results, HITS_PER_PAGE)
    context.update(
        page=page,
        groups=results.group(page.object_list),
        total=results.total,
        exact=results.exact,
        page_query=_query_string(params, without=("page",)),
    )
    title = (
        _("「%(query)s」の検索結果") % {"query": form.cleaned_data["q"]}
        if form.cleaned_data["q"]
        else _("発言の検索結果")
    )
    if page.number > 1:
        title = _("%(title)s(%(page)dページ目)") % {"title": title, "page": page.number}
    context["meta"] = _meta(title)
    return render(request, "search/search.html", context)


def _meta(title):
    return seo.PageMeta(title=title, noindex=True, crumbs=[seo.site_crumb(), seo.Crumb(_("検索"), "/search/")])


def _query_string(params, without=()):
    return urlencode({name: value for name, value in params.items() if value and name not in without})


def _active_filters(form, params):
    """[(label, value shown, link without this filter)], for the filter chips."""
    data, shown = form.cleaned_data, []
    describe = {
        "speaker": lambda person: person.name,
        "forum": lambda forum: forum.name,
        "roundtable": lambda roundtable: (
            f"{roundtable.forum.name} {roundtable_title(roundtable.shown_number, roundtable.title)}"
        ),
    }
    for name in FILTER_NAMES:
        value = data.get(name)
        if value in (None, ""):
            continue
        text = describe[name](value) if name in describe else str(params.get(name, value))
        shown.append((form.fields[name].label, text, "?" + _query_string(params, without=(name, "page"))))
    return shown
