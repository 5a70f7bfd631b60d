"""Vietnamese full-text search over the catalog, on SQLite FTS5 or PostgreSQL tsvector.

Indexed text and queries are both folded (no diacritics, đ→d, lowercase) in Python, so the
two databases agree on what matches. Ranking: the name equal to the query first, then names
that start with it, then names that contain it as a phrase, then by text relevance, shorter
names first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from motcua.common.text import fold

MAX_QUERY_TERMS = 12


@dataclass(frozen=True)
class SearchPage:
    total: int
    ids: list[int]


def _terms(query: str) -> list[str]:
    return fold(query).split()[:MAX_QUERY_TERMS]


def _filters_sql(filters: dict[str, object]) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    for column, value in filters.items():
        if value is None:
            continue
        clauses.append(f"p.{column} = %s")
        params.append(value)
    return "".join(f" AND {clause}" for clause in clauses), params


_PHRASE_RANK = (
    "CASE WHEN p.name_key = %s THEN 0 WHEN p.name_key LIKE %s THEN 1 "
    "WHEN p.name_key LIKE %s THEN 2 ELSE 3 END"
)
# Among names containing the whole phrase, the shortest is the most specific; elsewhere the
# text relevance decides.
_ORDER = (
    f"{_PHRASE_RANK}, CASE WHEN p.name_key LIKE %s THEN length(p.name_key) ELSE 0 END, "
    "{relevance}, length(p.name_key), p.code"
)


def search_procedure_ids(
    query: str, *, filters: dict[str, object], limit: int, offset: int
) -> SearchPage:
    """Ids of matching procedures in rank order, and how many match in all."""
    terms = _terms(query)
    if not terms:
        return SearchPage(total=0, ids=[])
    phrase = " ".join(terms)
    # Folded text holds only [a-z0-9 ], so LIKE needs no escaping.
    rank_params = [phrase, f"{phrase}%", f"%{phrase}%"]
    where_extra, filter_params = _filters_sql(filters)
    if connection.vendor == "postgresql":
        match = " & ".join(terms[:-1] + [f"{terms[-1]}:*"])
        base = (
            "FROM catalog_procedure p WHERE p.search_tsv @@ to_tsquery('simple', %s)" + where_extra
        )
        base_params: list[object] = [match, *filter_params]
        relevance = "ts_rank(p.search_tsv, to_tsquery('simple', %s)) DESC"
        relevance_params: list[object] = [match]
    else:
        # Every term must match; the last one may be a prefix the user is still typing.
        match = " ".join([f'"{t}"' for t in terms[:-1]] + [f'"{terms[-1]}"*'])
        # The FTS match must drive the join (CROSS JOIN fixes the order): planned the other way
        # round, SQLite walks every procedure of the status index and probes the FTS table.
        base = (
            "FROM (SELECT rowid AS id, bm25(catalog_procedure_fts) AS score "
            "FROM catalog_procedure_fts WHERE catalog_procedure_fts MATCH %s) f "
            "CROSS JOIN catalog_procedure p ON p.id = f.id WHERE 1 = 1" + where_extra
        )
        base_params = [match, *filter_params]
        relevance = "f.score"
        relevance_params = []
    with connection.cursor() as cursor:
        # One pass: the window count is taken over all matches before LIMIT applies.
        cursor.execute(
            f"SELECT p.id, count(*) OVER () {base} "  # built from constants
            f"ORDER BY {_ORDER.format(relevance=relevance)} LIMIT %s OFFSET %s",
            [*base_params, *rank_params, rank_params[2], *relevance_params, limit, offset],
        )
        rows = cursor.fetchall()
        if rows:
            return SearchPage(total=rows[0][1], ids=[row[0] for row in rows])
        cursor.execute(f"SELECT count(*) {base}", base_params)
        total = cursor.fetchone()[0]
        ids: list[int] = []
    return SearchPage(total=total, ids=ids)
