"""Rolling a batch back from "Lịch sử tải lên": the batch's status, the list of batches that can
be rolled back and the message change in the run the click starts, not one click later."""

from sqlalchemy import Engine

from data_access import ingest
from tests.apptest import SECRETARIAT_BHXH, open_app
from tests.batches import committed_batch

FILE = b"unit_code,period,staff_total,staff_female\nBHXH-TW01,2026-Y,50,20\n"


def _status_of(at, batch_id: int) -> str:
    table = at.dataframe[0].value
    return table.set_index("id").at[batch_id, "status"]


def test_the_status_shows_the_rollback_in_the_same_run(app_db: Engine) -> None:
    report = ingest.commit(
        app_db, "bhxh.csv", FILE, identity=SECRETARIAT_BHXH, accept_warnings=True
    )
    assert report.committed
    batch_id = committed_batch(report)
    at = open_app(SECRETARIAT_BHXH, "pages/history.py")
    assert _status_of(at, batch_id) == "Đã ghi"
    assert f"Lô {batch_id} – bhxh.csv" in at.selectbox(key="rollback_batch").options
    at.selectbox(key="rollback_batch").set_value(batch_id)
    at.checkbox[0].check().run()
    next(b for b in at.button if b.label == "Hoàn tác").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _status_of(at, batch_id) == "Đã hoàn tác"
    assert [s.value for s in at.success] == [
        f"Đã hoàn tác lô {batch_id}: xoá 1 dòng, khôi phục 0 dòng."
    ]
    # The batch is no longer offered for a rollback.
    offered = [] if not at.selectbox else at.selectbox(key="rollback_batch").options
    assert f"Lô {batch_id} – bhxh.csv" not in offered
    # The message stays for this run only: the next interaction does not repeat it.
    at.run()
    assert not at.success
