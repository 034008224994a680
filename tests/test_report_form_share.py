"""The share of women beside each pair on the form: shown only for a valid pair; an en dash (the
error beside the field) when the female figure is above the total, negative, fractional, or the
total is blank. Under AppTest, the real app as a unit's reporter."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from data_access.db import catalogue
from data_access.reporting import form
from tests.apptest import open_app
from tests.test_report_form_page import PERIOD, _field, _reporter
from tests.test_reporting_workflow import _units


def _share_of(at, engine: Engine, total_code: str) -> str:
    """The "Tỷ lệ nữ" metric beside the pair whose total is `total_code` (pairs in form order)."""
    with engine.connect() as conn:
        shown = catalogue.load(conn)
    pairs = [p.total for s in form.sections(shown, "BHXH") for p in s.pairs]
    metrics = [m for m in at.metric if m.label == "Tỷ lệ nữ"]
    assert len(metrics) == len(pairs)
    return str(metrics[pairs.index(total_code)].value)


@pytest.mark.parametrize(
    ("total", "female", "share", "error"),
    [
        ("10", "5", "50,0%", None),
        ("1.520", "760", "50,0%", None),
        ("10", "12", "–", "lớn hơn tổng số"),
        ("10", "-1", "–", "âm"),
        ("10", "2,5", "–", "số nguyên"),
        ("", "3", "–", None),
        ("0", "0", "–", None),  # nothing to share out: no error, no share
    ],
)
def test_the_share_is_shown_only_for_a_valid_pair(
    app_db: Engine, total: str, female: str, share: str, error: str | None
) -> None:
    unit = _units(app_db, "BHXH", PERIOD)[0]
    at = open_app(_reporter(app_db, unit))
    _field(at, "staff_total").input(total).run()
    _field(at, "staff_female").input(female).run()
    assert _share_of(at, app_db, "staff_total") == share
    if error is not None:  # the problem is named beside the field, not as a share
        assert any(error in e.value for e in at.error), [e.value for e in at.error]


@pytest.mark.parametrize(
    ("total", "female", "share"),
    [
        ("10", "5", 50.0),
        ("1 520", "1.520", 100.0),
        ("3", "1", 100 / 3),
        ("10", "12", None),
        ("10", "-1", None),
        ("-10", "-1", None),
        ("10", "2,5", None),
        ("10,5", "2", None),
        ("", "3", None),
        ("10", "", None),
        ("0", "0", None),
        ("mười", "5", None),
    ],
)
def test_female_share(total: str, female: str, share: float | None) -> None:
    assert form.female_share(total, female) == share
