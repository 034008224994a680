"""Tài khoản (#15): choosing the reporter role asks for the unit — an agency, then one of its
active units named with province and code — instead of the agency scope; the account made is
scoped to that unit and its agency, and editing it shows the unit."""

from __future__ import annotations

from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from data_access import auth
from data_access.auth import identity_for
from data_access.db.models import Agency, Unit
from tests.apptest import ADMIN, open_app

PAGE = "pages/admin_users.py"


def _a_unit(engine: Engine, agency: str, *, active: bool = True) -> str:
    closed = Unit.active_to.is_(None) if active else Unit.active_to.is_not(None)
    with engine.connect() as conn:
        return str(
            conn.execute(
                select(Unit.code)
                .join(Agency, Agency.id == Unit.agency_id)
                .where(Agency.code == agency, closed)
                .order_by(Unit.code)
                .limit(1)
            ).scalar_one()
        )


def _has_selectbox(at: AppTest, key: str) -> bool:
    return any(w.key == key for w in at.selectbox)


def _has_multiselect(at: AppTest, key: str) -> bool:
    return any(w.key == key for w in at.multiselect)


def _create(at: AppTest) -> AppTest:
    return next(b for b in at.button if b.label == "Tạo tài khoản").click().run()


def test_the_reporter_role_asks_for_a_unit(app_db: Engine) -> None:
    at = open_app(ADMIN, PAGE)
    assert not _has_selectbox(at, "add_unit_agency")
    assert _has_multiselect(at, "add_agencies")
    at.selectbox(key="add_role").set_value("reporter").run()
    assert not at.exception
    assert not _has_multiselect(at, "add_agencies")  # a unit's account is scoped by its unit
    at.selectbox(key="add_unit_agency").set_value("THADS").run()
    unit = _a_unit(app_db, "THADS")
    at.selectbox(key="add_unit").set_value(unit)
    at.text_input(key="add_username").set_value("donvi.moi")
    at.text_input(key="add_password").set_value("mat-khau-du-dai")
    _create(at)
    assert not at.exception and not at.error, [e.value for e in at.error]
    made = identity_for(app_db, "donvi.moi")
    assert made is not None and (made.role, made.unit, made.agencies) == (
        "reporter",
        unit,
        ("THADS",),
    )


def test_the_unit_picker_lists_active_units_with_province_and_code(app_db: Engine) -> None:
    at = open_app(ADMIN, PAGE)
    at.selectbox(key="add_role").set_value("reporter").run()
    at.selectbox(key="add_unit_agency").set_value("BHXH").run()
    picker = at.selectbox(key="add_unit")
    choices = {u.code: u for u in auth.reporter_units(app_db, "BHXH", by=ADMIN)}
    assert picker.options == [choices[code].label for code in choices]
    assert _a_unit(app_db, "BHXH", active=False) not in choices  # a closed unit reports no more
    first = next(iter(choices.values()))
    assert first.name in picker.options[0] and first.code in picker.options[0]
    assert first.province in picker.options[0]


def test_the_reporter_role_without_a_unit_is_refused_and_keeps_what_was_typed(
    app_db: Engine,
) -> None:
    at = open_app(ADMIN, PAGE)
    at.selectbox(key="add_role").set_value("reporter").run()
    at.text_input(key="add_username").set_value("donvi.thieu")
    at.text_input(key="add_password").set_value("mat-khau-du-dai")
    _create(at)
    assert [e.value for e in at.error] == [auth.REPORTER_NEEDS_UNIT]
    assert at.text_input(key="add_username").value == "donvi.thieu"
    assert identity_for(app_db, "donvi.thieu") is None


def test_editing_a_reporter_account_shows_its_unit(app_db: Engine) -> None:
    unit = _a_unit(app_db, "THADS")
    auth.create_user(app_db, "donvi.sua", "reporter", "mat-khau-du-dai", unit=unit)
    at = open_app(ADMIN, PAGE)
    at.selectbox(key="edit_user").set_value("donvi.sua").run()
    summary = next(m.value for m in at.markdown if m.value.startswith("Hiện tại"))
    [choice] = [u for u in auth.reporter_units(app_db, "THADS", by=ADMIN) if u.code == unit]
    assert choice.label in summary
    # Its role and scope follow from the unit: not editable here (data_access refuses too).
    assert at.selectbox(key="edit_role:donvi.sua").disabled
    assert at.multiselect(key="edit_agencies:donvi.sua").disabled
    assert not at.selectbox(key="edit_active:donvi.sua").disabled
