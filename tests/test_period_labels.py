"""Periods as people say them ("Năm 2025", "6 tháng đầu năm 2026"), and the latest period with
data as the default of each period kind."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from data_access.domain.periods import period_label
from tests.apptest import VIEWER, open_app


@pytest.mark.parametrize(
    ("code", "spoken"),
    [
        ("2025-Y", "Năm 2025"),
        ("2026-H1", "6 tháng đầu năm 2026"),
        ("2018-H1", "6 tháng đầu năm 2018"),
    ],
)
def test_a_period_reads_as_people_say_it(code: str, spoken: str) -> None:
    assert period_label(code) == spoken


@pytest.mark.parametrize(
    ("page", "query"),
    [
        (None, {}),
        ("pages/gender_ratio.py", {}),
        ("pages/provinces.py", {}),
        ("pages/overview.py", {"ky": "H1"}),
    ],
)
def test_pages_name_the_period_in_words_not_by_code(
    app_db: Engine, page: str | None, query: dict[str, str]
) -> None:
    at = open_app(VIEWER, page, query)
    shown = " ".join(
        [
            *(c.value for c in at.caption),
            *(s.value for s in at.subheader),
            *(m.value for m in at.markdown),
        ]
    )
    assert "-Y" not in shown and "-H1" not in shown, shown
    assert "Năm 20" in shown or "6 tháng đầu năm 20" in shown, shown


def test_switching_to_semi_annual_reports_shows_the_latest_half_year(app_db: Engine) -> None:
    at = open_app(VIEWER)
    assert any("Năm 2025" in c.value for c in at.caption)
    at.radio(key="f_kind").set_value("H1").run()
    assert not at.exception
    assert any("6 tháng đầu năm 2026" in c.value for c in at.caption), [c.value for c in at.caption]
    assert at.query_params.get("ky") == ["H1"] or at.query_params.get("ky") == "H1"
