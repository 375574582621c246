"""One way to cut a list into pages: Django's Paginator with a capped count.

Counting every row of a 45,000-row list costs as much as reading it, so the count stops at
``cap`` + 1 rows (``SELECT count(*) FROM (… LIMIT cap + 1)``, the OGC pages' idea): beyond,
the page says « plus de 10 000 » and the last pages are reached through the filters. The
links keep every other GET parameter (filters, sort), so the template include
``includes/pagination.html`` is the same for every list.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

#: Rows per page of every list page.
PER_PAGE = 25
#: Counts stop here: a list longer than this shows « plus de 10 000 ».
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A Paginator whose count reads at most ``cap`` + 1 rows."""

    def __init__(self, object_list: QuerySet, per_page: int, cap: int) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def _rows_upto_cap(self) -> int:
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._rows_upto_cap, self.cap)

    @property
    def capped(self) -> bool:
        """True when the list has more rows than the count says."""
        return self._rows_upto_cap > self.cap


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class Pages:
    """A page of rows and what the include needs to draw its navigation."""

    page: Page
    count: int
    capped: bool
    links: list[Link]
    previous_url: str
    next_url: str
    param: str

    @property
    def rows(self):
        return self.page.object_list


def _url(query: QueryDict, param: str, number: int) -> str:
    query = query.copy()
    if number == 1:
        query.pop(param, None)
    else:
        query[param] = str(number)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def paginate(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    per_page: int = PER_PAGE,
    param: str = "page",
    cap: int | None = None,
) -> Pages:
    """The page ``request.GET[param]`` of ``queryset`` (ordered by the caller): an unknown
    or out-of-range number gives the nearest page, never an error."""
    paginator = CappedPaginator(queryset, per_page, cap or COUNT_CAP)
    page = paginator.get_page(request.GET.get(param))
    count = paginator.count
    capped = paginator.capped
    window = range(max(1, page.number - 2), min(paginator.num_pages, page.number + 2) + 1)
    numbers = sorted({1, *window, *([] if capped else [paginator.num_pages])})
    links = [Link(str(n), _url(request.GET, param, n), n == page.number) for n in numbers]
    return Pages(
        page=page,
        count=count,
        capped=capped,
        links=links,
        previous_url=_url(request.GET, param, page.number - 1) if page.has_previous() else "",
        next_url=_url(request.GET, param, page.number + 1) if page.has_next() else "",
        param=param,
    )
