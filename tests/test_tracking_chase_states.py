"""The tracking page's list of units to chase carries each unit's form report state, read with
the list (issue #18: the list is cached whole, keyed by the reports' version, so a draft saved
since shows at the next rerun once that version is read again, not after an hour)."""

from __future__ import annotations

import time

import pandas as pd
from sqlalchemy import Engine

from data_access import auth
from data_access.domain.filters import Filters
from data_access.queries import tracking
from data_access.reporting import workflow
from tests.apptest import SECRETARIAT_BHXH, open_app
from ui import data

PERIOD = "2026-H1"


def _chase(at: object) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "report_state_vi" in d.value.columns)  # type: ignore[attr-defined]


def test_a_draft_saved_since_shows_in_the_list(app_db: Engine) -> None:
    missing = tracking.unit_status(app_db, PERIOD, Filters(scope=("BHXH",)), ("missing",))
    code = missing["unit_code"].iloc[0]
    at = open_app(SECRETARIAT_BHXH, "pages/tracking.py")
    at.selectbox[0].set_value(PERIOD).run()
    assert not at.exception, [e.value for e in at.exception]
    before = _chase(at).set_index("unit_code")
    assert before.at[code, "report_state_vi"] == workflow.STATE_LABELS_VI["missing"]
    assert before.at[code, "status_vi"] == tracking.STATUS_VI["missing"]

    auth.create_user(app_db, "donvi.chase", "reporter", "mat-khau-dai", unit=code)
    reporter = auth.identity_for(app_db, "donvi.chase")
    assert reporter is not None
    workflow.save_draft(app_db, code, PERIOD, {}, version=0, identity=reporter)
    time.sleep(data.VERSION_TTL_SECONDS + 0.2)  # the reports' version is read again after this
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    after = _chase(at).set_index("unit_code")
    assert after.at[code, "report_state_vi"] == workflow.STATE_LABELS_VI["draft"]
    # Nothing else of the list changed: the unit still has no stored report.
    assert after.at[code, "status_vi"] == tracking.STATUS_VI["missing"]
    assert after.drop(index=code).equals(before.drop(index=code))
