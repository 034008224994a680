"""Lịch sử tải lên as a scoped secretary: no batch, file, uploader or earlier version of another
agency, by widget or by URL; earlier versions as a readable table."""

import datetime as dt
import re

import pandas as pd
import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from data_access import ingest
from data_access.auth import Identity
from data_access.db.config import SAMPLE_DATA_DIR
from data_access.domain.formats import num
from tests.apptest import ADMIN, APP, ROOT, SECRETARIAT_BHXH, TIMEOUT, open_app

TODAY = dt.date(2026, 11, 22)
PAGE = "pages/history.py"
SECRET = "Nhận xét riêng của Cục THADS Hà Nội"
HEADER = "unit_code,period,staff_total,staff_female,assessment\n"
THADS_FILES = ("thads_bi_mat.csv", "thads_sua_lai.csv")
THADS_SECRETARY = Identity("tk-thads", "secretariat", ("THADS",))


def _commit(engine: Engine, name: str, rows: str) -> int:
    report = ingest.commit(
        engine, name, (HEADER + rows).encode(), user="van-hanh", accept_warnings=True, today=TODAY
    )
    assert report.committed and report.batch_id, report.summary()
    return report.batch_id


@pytest.fixture
def uploads(app_db: Engine) -> dict[str, int]:
    """Two THADS batches (the first writes a narrative the second replaces) and a BHXH one."""
    return {
        "thads1": _commit(app_db, THADS_FILES[0], f'THADS-HANOI,2022-Y,1200,39,"{SECRET}"\n'),
        "thads2": _commit(app_db, THADS_FILES[1], "THADS-HANOI,2022-Y,1210,39,Đã rà soát\n"),
        "bhxh": _commit(app_db, "bhxh_sua.csv", 'BHXH-HANOI,2022-Y,2600,134,"Đã sửa"\n'),
    }


def _sample_staff(unit: str, period: str) -> int:
    """The staff total the sample database held before the uploads."""
    sample = pd.read_csv(
        SAMPLE_DATA_DIR / "submissions.csv", usecols=["unit_code", "period", "staff_total"]
    )
    row = sample[(sample["unit_code"] == unit) & (sample["period"] == period)]
    return int(row["staff_total"].iloc[0])


def _shown(at: AppTest) -> str:
    """Every text the page shows: messages, tables, and the options of every select box."""
    parts: list[str] = []
    for kind in (
        "title",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "text_input",
        "checkbox",
        "button",
    ):
        for element in at.get(kind):
            parts.append(str(getattr(element, "value", "")))
            parts.append(str(getattr(element, "label", "")))
    for frame in [*at.dataframe, *at.table]:
        parts.append(pd.DataFrame(frame.value).to_csv())
    for box in at.selectbox:
        parts.extend(map(str, box.options))
    return "\n".join(parts)


def _history(identity: Identity, query: dict[str, str] | None = None) -> AppTest:
    if query is None:
        at = open_app(identity, PAGE)
    else:  # a link opened in a new tab: the history page is the first page the session runs
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.session_state["identity"] = identity
        for key, value in query.items():
            at.query_params[key] = value
        at.switch_page(str(ROOT / PAGE)).run()
        assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Lịch sử tải lên"
    return at


def _ask_revisions(at: AppTest, unit: str, period: str) -> AppTest:
    at.text_input(key="rev_unit").set_value(unit)
    at.text_input(key="rev_period").set_value(period)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_bhxh_secretary_sees_only_bhxh_batches(uploads: dict[str, int]) -> None:
    at = _history(SECRETARIAT_BHXH)
    text = _shown(at)
    assert "bhxh_sua.csv" in text
    for name in THADS_FILES:
        assert name not in text
    assert at.dataframe[0].value["id"].tolist() == [uploads["bhxh"]]
    rollback_choices = at.selectbox(key="rollback_batch").options
    assert len(rollback_choices) == 1 and f"Lô {uploads['bhxh']}" in rollback_choices[0]


@pytest.mark.parametrize("by", ["widget", "url"])
def test_a_bhxh_secretary_cannot_read_a_thads_units_earlier_versions(
    uploads: dict[str, int], by: str
) -> None:
    if by == "widget":
        at = _ask_revisions(_history(SECRETARIAT_BHXH), "THADS-HANOI", "2022-Y")
    else:
        at = _history(SECRETARIAT_BHXH, {"don_vi": "THADS-HANOI", "ky": "2022-Y"})
        assert at.text_input(key="rev_unit").value == "THADS-HANOI"  # the link was read
    text = _shown(at)
    assert SECRET not in text and "1.200" not in text and "Đã rà soát" not in text
    assert "Không tìm thấy báo cáo" in text


def test_earlier_versions_are_a_readable_table(uploads: dict[str, int]) -> None:
    at = _ask_revisions(_history(ADMIN), "THADS-HANOI", "2022-Y")
    table = at.dataframe[-1].value
    assert table.columns[0] == "Nội dung"
    assert table.columns[1] == "Hiện nay"
    assert table.columns[2].startswith(f"Trước lô {uploads['thads2']} (")
    assert table.columns[3].startswith(f"Trước lô {uploads['thads1']} (")
    rows = table.set_index("Nội dung")
    staff = rows.loc["Công chức, viên chức, người lao động - Tổng số (người)"]
    assert staff.tolist() == ["1.210", "1.200", num(_sample_staff("THADS-HANOI", "2022-Y"))]
    assert rows.loc["Đánh giá chung – kết quả tích cực"].iloc[1] == SECRET
    assert rows.loc["Lô tải lên"].tolist() == [
        f"Lô {uploads['thads2']}",
        f"Lô {uploads['thads1']}",
        "–",
    ]
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", rows.loc["Ngày báo cáo"].iloc[2])
    text = table.to_csv()
    assert "{" not in text and "staff_total" not in text and "None" not in text
    assert "nan" not in text.lower().split(",")


@pytest.mark.parametrize(
    ("identity", "sees"),
    [
        (SECRETARIAT_BHXH, {"bhxh"}),
        (THADS_SECRETARY, {"thads1", "thads2"}),
        (ADMIN, {"bhxh", "thads1", "thads2"}),
    ],
    ids=["bhxh", "thads", "admin"],
)
def test_history_reads_are_scoped_in_data_access(
    app_db: Engine, uploads: dict[str, int], identity: Identity, sees: set[str]
) -> None:
    batches = ingest.batches(app_db, identity=identity)
    assert set(batches["id"]) == {uploads[k] for k in sees}
    thads_view = ingest.revision_view(app_db, "THADS-HANOI", "2022-Y", identity=identity)
    thads_revisions = ingest.revisions(app_db, "THADS-HANOI", "2022-Y", identity=identity)
    if "thads1" in sees:
        assert thads_view is not None and thads_view.n_revisions == 2
        assert len(thads_revisions) == 2
    else:
        assert thads_view is None and thads_revisions.empty


def test_a_rolled_back_batch_stays_in_its_agencys_history(
    app_db: Engine, uploads: dict[str, int]
) -> None:
    """Its rows are gone; the rollback's audit entry keeps which agency they were."""
    inserted = _commit(app_db, "bhxh_moi.csv", "BHXH-HANOI,2026-Y,100,50,\n")
    ingest.rollback(app_db, inserted, identity=SECRETARIAT_BHXH)
    bhxh = ingest.batches(app_db, identity=SECRETARIAT_BHXH).set_index("id")
    assert bhxh.at[inserted, "status"] == "rolled_back"
    assert inserted not in set(ingest.batches(app_db, identity=THADS_SECRETARY)["id"])
