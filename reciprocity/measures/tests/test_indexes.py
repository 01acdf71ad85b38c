"""Today's per-view questions about answer sets are answered from indexes of only the rows they ask about."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reciprocity.checkins.selectors import due_checkins
from reciprocity.measures.selectors import open_flags


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql)
        return " ".join(str(cell) for row in cursor.fetchall() for cell in row)


@pytest.mark.django_db
@pytest.mark.parametrize(("selector", "index"), [(due_checkins, "administration_own_checkins"),
                                                 (open_flags, "administration_open_flags")])  # fmt: skip
def test_todays_questions_about_answer_sets_are_read_through_their_partial_indexes(ana, selector, index):
    with CaptureQueriesContext(connection) as queries:
        selector(ana)
    (query,) = [q["sql"] for q in queries.captured_queries if "measures_administration" in q["sql"]]
    assert index in _plan(query)
