"""The pure rules: reading answers on their scales, "good or excellent" on each scale, rounding as the papers do,
Excel dates."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bulletin_tui.domain.errors import DomainError
from bulletin_tui.domain.feedback import Rating, percent
from bulletin_tui.domain.ratings import as_datetime, number_scale, read_rating, word_scale


def good_points(low: int, high: int) -> list[int]:
    return [p for p in range(low, high + 1) if Rating(points=p, low=low, high=high).good_or_excellent]


def test_good_or_excellent_is_the_top_two_of_five_and_three_quarters_up_elsewhere() -> None:
    assert good_points(1, 5) == [4, 5]
    assert good_points(1, 10) == [8, 9, 10]  # (p - 1) / 9 >= 0.75  <=>  p >= 7.75
    assert good_points(0, 10) == [8, 9, 10]  # p / 10 >= 0.75  <=>  p >= 7.5
    assert good_points(1, 7) == [6, 7]
    assert good_points(1, 4) == [4] and good_points(1, 3) == [3]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (["Excellent", "Good", "Average", "Poor", "Very poor"], [5, 4, 3, 2, 1]),
        (["Excellent", "Very good", "Good", "Fair", "Poor"], [5, 4, 3, 2, 1]),
        (["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"], [5, 4, 3, 2, 1]),
        (["very satisfied", " SATISFIED ", "Dissatisfied."], [5, 4, 2]),
        (["5 - Excellent", "4 - Good", "1) Poor"], [5, 4, 1]),
        (["★★★★★", "★★", "3 stars", "4/5"], [5, 2, 3, 4]),
    ],
)
def test_answers_read_on_their_column_scale(answers: list[str], expected: list[int]) -> None:
    scale, numbers = word_scale(answers), number_scale(answers)
    assert [read_rating(a, scale, numbers)[0] for a in answers] == expected


def test_numbers_choose_their_scale_and_refuse_what_falls_outside() -> None:
    assert number_scale(["1", "5", "3"]) == (1, 5)
    assert number_scale(["7", "3"]) == (1, 10) and number_scale(["0", "4"]) == (0, 10)
    assert read_rating("8/10", None, (1, 5)) == (8, 1, 10)
    with pytest.raises(DomainError, match="'6' is outside the scale 1-5"):
        read_rating("6", None, (1, 5))
    with pytest.raises(DomainError, match="'Brilliant' is not a rating"):
        read_rating("Brilliant", word_scale(["Good", "Brilliant"]), (1, 5))


@given(st.integers(min_value=1, max_value=10_000), st.data())
def test_percent_rounds_half_up_to_a_whole_number(whole: int, data: st.DataObject) -> None:
    part = data.draw(st.integers(min_value=0, max_value=whole))
    exact = 100 * part / whole
    assert percent(part, whole) in (int(exact), int(exact) + 1)
    assert abs(percent(part, whole) - exact) <= 0.5
    if (200 * part) % whole == 0 and (200 * part // whole) % 2 == 1:  # exactly .5: always up, never to even
        assert percent(part, whole) == int(exact) + 1


def test_half_percentages_go_up_as_the_papers_print_them() -> None:
    assert (percent(5, 8), percent(7, 8), percent(39, 41), percent(41, 55), percent(1, 8)) == (63, 88, 95, 75, 13)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (44620.54, datetime(2022, 2, 28, 12, 57, 36)),
        ("44620.54", datetime(2022, 2, 28, 12, 57, 36)),
        (datetime(2022, 2, 28, 13, 5, 42, 120), datetime(2022, 2, 28, 13, 5, 42)),
        ("28/02/2022 13:05", datetime(2022, 2, 28, 13, 5)),
        ("28.02.22 13:05:42", datetime(2022, 2, 28, 13, 5, 42)),
        ("2022-02-28T13:05:00", datetime(2022, 2, 28, 13, 5)),
        ("28/02/2022 1:05 pm", datetime(2022, 2, 28, 13, 5)),
    ],
)
def test_excel_and_british_dates(cell: object, expected: datetime) -> None:
    assert as_datetime(cell) == expected


def test_a_date_that_is_not_real_is_refused() -> None:
    with pytest.raises(DomainError, match="'31/02/2022 10:00' is not a real date"):
        as_datetime("31/02/2022 10:00")


def test_an_answer_in_the_words_good_or_excellent_counts_on_any_word_scale() -> None:
    """On Excellent-Very good-Good-Fair-Poor, "Good" is third of five, yet the person rated it good."""
    counted = [Rating(points=p, word=w).good_or_excellent
               for p, w in ((5, "Excellent"), (4, "Very good"), (3, "Good"), (2, "Fair"), (1, "Poor"))]
    assert counted == [True, True, True, False, False]
    assert [Rating(points=p).good_or_excellent for p in (5, 4, 3)] == [True, True, False]  # numbers: top two


def test_more_responses_than_recorded_attendees_is_no_rate_but_a_question() -> None:
    """8 responses, 2 people marked attended: attendance is incomplete; '400 %' would be nonsense."""
    from bulletin_tui.services.feedback.summary import SessionFeedback

    partial = SessionFeedback(session=None, responses=8, attendees=2)  # type: ignore[arg-type]
    assert partial.response_rate is None
    assert partial.rate_text() == "more responses than the 2 attendees recorded: is attendance complete?"
    assert SessionFeedback(session=None, responses=41, attendees=55).rate_text() == "75 % of 55 attendees"  # type: ignore[arg-type]
