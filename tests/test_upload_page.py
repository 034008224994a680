"""The upload, tracking and history pages under AppTest, on a fresh sample database."""

from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from data_access.domain.filters import Filters
from data_access.queries.aggregate import aggregate
from tests.apptest import ADMIN, open_app

DATA = Path(__file__).resolve().parent / "data"


def _open(page: str) -> AppTest:
    return open_app(ADMIN, page)


def test_upload_page_from_dry_run_to_confirm(app_db: Engine) -> None:
    at = _open("pages/upload.py")
    at.file_uploader[0].set_value(
        ("bao_cao.csv", (DATA / "warn_ratios_and_missing.csv").read_bytes(), "text/csv")
    ).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Dòng mới"] == "2" and metrics["Dòng bị từ chối"] == "0"
    problems = at.dataframe[0].value
    assert {2, 3} <= set(problems["Dòng"])
    assert aggregate(
        app_db, Filters(periods=("2026-Y",), units=("BHXH-HANOI",)), by=("unit",)
    ).empty  # nothing yet
    button = next(b for b in at.button if b.label == "Ghi dữ liệu")
    assert button.disabled  # warnings must be confirmed first
    at.checkbox[0].check().run()
    next(b for b in at.button if b.label == "Ghi dữ liệu").click().run()
    assert not at.exception
    assert "Đã ghi lô" in at.success[0].value
    written = aggregate(
        app_db,
        Filters(periods=("2026-Y",), units=("BHXH-HANOI",)),
        by=("unit",),
        indicators=["staff_total"],
    )
    assert written["staff_total"].tolist() == [100]


def test_upload_page_lists_errors_and_writes_nothing(app_db: Engine) -> None:
    at = _open("pages/upload.py")
    at.file_uploader[0].set_value(
        ("loi.csv", (DATA / "err_female_gt_total.csv").read_bytes(), "text/csv")
    ).run()
    assert "từ chối" in at.error[0].value
    problems = at.dataframe[0].value
    errors = problems[problems["Mức độ"] == "Lỗi"]
    assert set(zip(errors["Dòng"], errors["Cột"], strict=True)) == {
        (3, "staff_female"),
        (3, "managers_female"),
    }
    assert not [b for b in at.button if b.label == "Ghi dữ liệu"]


@pytest.mark.parametrize("page", ["pages/tracking.py", "pages/history.py"])
def test_secretariat_pages_render(app_db: Engine, page: str) -> None:
    at = _open(page)
    assert at.title
