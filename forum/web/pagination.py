"""Paginated lists: ?page=N, where anything but an existing page is a 404."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.utils.translation import gettext as _


def paginate(request, object_list, per_page):
    paginator = Paginator(object_list, per_page)
    number = request.GET.get("page") or 1
    try:
        return paginator.page(number)
    except InvalidPage:
        raise Http404(_("そのページはありません。")) from None
