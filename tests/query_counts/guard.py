"""What every family's query-count guard shares.

A guard asks an endpoint for its answer with few rows, then with many, and holds that the number of queries is
the same (no query per row: no N+1) and is the number the guard states. Each family's test file registers its
guards by the route (or JSON-RPC method) they cover, and fails while an endpoint of the family has none; the
routes come from the URL resolver (tests/config/access.py), so a new endpoint cannot arrive without a guard.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.config.access import ROUTES, Route

FEW, MANY = 1, 12


def read_routes(family: str) -> list[Route]:
    """The family's routes that answer GET: its lists and its details."""
    return [route for route in ROUTES if route.family == family and "get" in route.methods]


@dataclass
class Guards:
    """The endpoints one family's guards cover, by route name (or method name), collected as the file loads."""

    family: str
    names: set[str] = field(default_factory=set)

    def guard(self, name: str):
        """Marks the test below as the guard of the route or method `name`."""

        def register(test):
            self.names.add(name)
            return test

        return register

    def unguarded_routes(self) -> list[str]:
        """The family's read routes whose view no guarded route serves (a path and its slash twin are one)."""
        by_name = {route.name: route for route in ROUTES}
        assert self.names <= set(by_name), f"no such route: {sorted(self.names - set(by_name))}"
        guarded_views = {by_name[name].view for name in self.names if name in by_name}
        return sorted(route.name for route in read_routes(self.family) if route.view not in guarded_views)


def queries_of(call: Callable) -> tuple[object, list[str]]:
    """The response of `call` and the SQL it ran. A first call goes uncounted: it looks the key up and stamps its
    last use (at most once a minute), so the counted one is what every later request costs."""
    call()
    with CaptureQueriesContext(connection) as captured:
        response = call()
    return response, [query["sql"] for query in captured.captured_queries]


def assert_steady(call: Callable, grow: Callable[[int], None], *, queries: int, size: Callable | None = None):
    """`grow(n)` adds n rows (records, or rows of the record asked for); `call()` asks the endpoint. With FEW rows
    and with MANY, the answer costs exactly `queries` queries; `size(response)`, when given, is how many rows the
    answer shows, so a guard cannot pass on an answer that left the rows out."""
    grow(FEW)
    few_response, few = queries_of(call)
    grow(MANY - FEW)
    many_response, many = queries_of(call)
    for response in (few_response, many_response):
        assert response.status_code == 200, getattr(response, "content", response)
    if size is not None:
        assert (size(few_response), size(many_response)) == (FEW, MANY)
    assert len(many) == len(few), f"{len(few)} queries with {FEW} row(s), {len(many)} with {MANY}:" + listing(many)
    assert len(many) == queries, f"{len(many)} queries, not {queries}:" + listing(many)


def listing(queries: list[str]) -> str:
    """The queries, one a line, cut short: enough to see which table each reads."""
    return "".join(f"\n  {sql[:160]}" for sql in queries)
