"""The one rating scale: five levels, their Vietnamese words, and "satisfied" from level 4."""

from __future__ import annotations

from django.utils import translation

from motcua.common.ratings import HIGHEST, LOWEST, SATISFIED_FROM, Level, is_satisfied, is_score


def test_the_scale_has_the_five_levels_the_portal_uses_best_first():
    # when
    with translation.override("vi"):
        labels = [(value, str(label)) for value, label in Level.choices]
    # then
    assert labels == [
        (5, "Rất hài lòng"),
        (4, "Hài lòng"),
        (3, "Bình thường"),
        (2, "Không hài lòng"),
        (1, "Rất không hài lòng"),
    ]
    assert (LOWEST, HIGHEST) == (1, 5)


def test_satisfied_means_hai_long_or_rat_hai_long():
    assert SATISFIED_FROM == Level.SATISFIED == 4
    assert [s for s in range(LOWEST, HIGHEST + 1) if is_satisfied(s)] == [4, 5]


def test_only_whole_levels_are_scores():
    assert [v for v in (0, 1, 5, 6, True, 4.0, "4") if is_score(v)] == [1, 5]
