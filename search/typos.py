"""Typo correction against the dictionary of title words (``observatoire_title_word``, kept
by the triggers of ``observatoire/sql/triggers.sql``, only read here): each word of the text
becomes the closest dictionary words, so the fallback is a full-text search like any other
(same index, same reading strategy, same highlights) instead of a trigram comparison with
every title.

The dictionary holds words of every title, private ones included: corrections are never shown,
they only build a query that runs on ``visible_to(user)``.
"""

from __future__ import annotations

from django.db import connection

#: Minimal trigram similarity (0–1) between a typed word and a dictionary word.
THRESHOLD = 0.4
#: Dictionary words kept for one typed word, the closest first.
PER_WORD = 5

_CLOSEST = """
SELECT typed.w, ARRAY(
  SELECT word FROM observatoire_title_word WHERE word %% typed.w
  ORDER BY word <-> typed.w, word LIMIT %s)
FROM spass_title_words(%s) AS typed(w)
"""


def corrected_query(text: str) -> str | None:
    """A raw tsquery: the typed words (3 letters or more) ANDed, each replaced by the OR of
    its closest dictionary words; None when a word has none (nothing can match). Dictionary
    words are ``[a-z]+`` only, so they cannot inject tsquery syntax."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(THRESHOLD)]
        )
        cursor.execute(_CLOSEST, [PER_WORD, text])
        rows = cursor.fetchall()
    if not rows or any(not closest for _typed, closest in rows):
        return None
    return " & ".join("(" + " | ".join(closest) + ")" for _typed, closest in rows)
