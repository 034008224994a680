"""The chase list (units late or missing for a period): missing units first, then late ones,
then the rest; in the data layer and on the page "Tình hình báo cáo"."""

import pytest
from sqlalchemy import Engine

from data_access.queries import tracking

ORDER = ["missing", "late", "on_time"]


@pytest.mark.parametrize(
    "statuses", [(), ("late", "missing"), ("missing", "late"), ("on_time", "late")]
)
def test_unit_status_lists_missing_then_late_then_the_rest(
    shared_sample_engine: Engine, statuses: tuple[str, ...]
) -> None:
    units = tracking.unit_status(shared_sample_engine, "2026-H1", statuses=statuses)
    assert units["status"].map(ORDER.index).is_monotonic_increasing
    # The sample has units in each status asked for: the order is tested.
    assert list(dict.fromkeys(units["status"])) == [s for s in ORDER if s in (statuses or ORDER)]
    # Within a status, the order stays by agency then unit name.
    for _, group in units.groupby("status", sort=False):
        keys = list(zip(group["agency_code"], group["unit_name"], strict=True))
        assert keys == sorted(keys)


def test_the_page_lists_missing_units_first(app_db: Engine) -> None:
    from tests.apptest import SECRETARIAT_BHXH, open_app

    at = open_app(SECRETARIAT_BHXH, "pages/tracking.py")
    at.selectbox[0].set_value("2026-H1").run()
    chase = at.dataframe[-1].value
    labels = [tracking.STATUS_VI[s] for s in ORDER]
    assert chase["status_vi"].map(labels.index).is_monotonic_increasing
    assert list(dict.fromkeys(chase["status_vi"])) == labels[:2]
