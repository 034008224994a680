"""Tracking shows each unit's report state: draft, submitted, returned, accepted or missing."""

from __future__ import annotations

from sqlalchemy import Engine

from data_access.auth import Identity
from data_access.domain.filters import Filters
from data_access.queries import tracking
from data_access.reporting import workflow
from tests.test_reporting_workflow import GOOD, PERIOD, SECRETARY, TODAY, _reporter, _units


def test_tracking_shows_form_states_and_uploads_as_accepted(sample_engine: Engine) -> None:
    drafting, sending = _units(sample_engine, "BHXH")
    workflow.save_draft(
        sample_engine, drafting, PERIOD, GOOD, version=0, identity=_reporter(drafting)
    )
    workflow.submit(
        sample_engine, sending, PERIOD, GOOD, version=0, identity=_reporter(sending), today=TODAY
    )
    units = tracking.unit_status(sample_engine, PERIOD, Filters(agencies=("BHXH",)))
    shown = workflow.with_states(units, workflow.states(sample_engine, PERIOD, SECRETARY))
    state = dict(zip(shown["unit_code"], shown["report_state"], strict=True))
    assert (state[drafting], state[sending]) == ("draft", "submitted")
    uploaded = units.loc[units["status"] != "missing", "unit_code"].iloc[0]
    assert state[uploaded] == "accepted"
    missing = set(units.loc[units["status"] == "missing", "unit_code"]) - {drafting, sending}
    assert missing and {state[u] for u in missing} == {"missing"}
    # Another agency's secretariat sees none of these reports.
    assert workflow.states(sample_engine, PERIOD, Identity("x", "secretariat", ("THADS",))) == {}
