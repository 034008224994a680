"""The unit page: a unit found in one step (its province and active years beside its name), the
period kind and year range honoured, counts beside shares."""

from __future__ import annotations

from sqlalchemy import Engine

from data_access.domain.filters import Filters
from data_access.domain.formats import num
from data_access.views.unit import unit_profile
from tests.apptest import VIEWER, open_app

QUERY_2022 = {"ky": "Y", "tu": "2022", "den": "2022"}


def test_a_choice_names_the_units_province_and_years(app_db: Engine) -> None:
    at = open_app(VIEWER, "pages/unit.py")
    box = at.selectbox(key="unit_code")
    shown = box.options[0]  # as the reader sees it
    unit = unit_profile(app_db, str(box.value)).unit  # type: ignore[union-attr]
    assert unit["province_name"] in shown, shown
    assert str(unit["active_from"].year) in shown
    assert unit["code"] not in shown  # the code is not what a reader looks for


def test_the_year_range_and_kind_are_honoured(app_db: Engine) -> None:
    at = open_app(VIEWER, "pages/unit.py", QUERY_2022)
    latest = [s.value for s in at.subheader if s.value.startswith("Báo cáo mới nhất")]
    assert latest == ["Báo cáo mới nhất: Năm 2022"], latest
    profile = unit_profile(
        app_db, str(at.selectbox(key="unit_code").value), Filters(year_from=2022, year_to=2022)
    )
    assert profile is not None and set(profile.series["period"]) == {"2022-Y"}


def test_counts_stand_beside_the_shares(app_db: Engine) -> None:
    at = open_app(VIEWER, "pages/unit.py", QUERY_2022)
    profile = unit_profile(
        app_db, str(at.selectbox(key="unit_code").value), Filters(year_from=2022, year_to=2022)
    )
    assert profile is not None
    last = profile.series.iloc[-1]
    count = f"{num(last['staff_female'])}/{num(last['staff_total'])}"
    assert any(count in c.value for c in at.caption), [c.value for c in at.caption]


def test_the_units_activities_are_listed_as_written(app_db: Engine) -> None:
    at = open_app(VIEWER, "pages/unit.py")
    code = str(at.selectbox(key="unit_code").value)
    acts = unit_profile(app_db, code).activities  # type: ignore[union-attr]
    assert len(acts), "the sample's first unit has campaign activities"
    grid = next(d.value for d in at.dataframe if "activity_type" in d.value.columns)
    assert list(grid.columns) == [
        "start_date",
        "campaign",
        "activity_type",
        "title",
        "participants_female",
        "participants_male",
    ]
    first = acts.iloc[0]
    assert grid["start_date"].iloc[0] == first["start_date"].strftime("%d/%m/%Y")
    assert grid["participants_female"].iloc[0] == num(first["participants_female"])
    assert len(grid) == len(acts)
