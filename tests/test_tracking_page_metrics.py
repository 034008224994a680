"""The tracking page: its shares beside the counts are not changes (no arrow), and its rates table
reads in the order the secretariat counts."""

from sqlalchemy import Engine
from streamlit.proto.Metric_pb2 import Metric as MetricProto

from tests.apptest import SECRETARIAT_BHXH, open_app


def test_the_shares_beside_received_and_on_time_carry_no_arrow(app_db: Engine) -> None:
    at = open_app(SECRETARIAT_BHXH, "pages/tracking.py")
    metrics = {m.label: m for m in at.metric}
    for label, base in (("Đã nhận", "đơn vị"), ("Đúng hạn", "số đã nhận")):
        assert metrics[label].delta.endswith(f"% {base}")
        assert metrics[label].proto.direction == MetricProto.MetricDirection.NONE


def test_the_rates_table_reads_received_right_after_expected(app_db: Engine) -> None:
    # Due, received, then how (on time, late), then who has not, then the two rates.
    at = open_app(SECRETARIAT_BHXH, "pages/tracking.py")
    for table, group in zip(at.dataframe[:2], ("agency", "province"), strict=True):
        order = list(table.value.columns)
        assert order[0] == f"{group}_name"
        assert order.index("received") == order.index("expected") + 1
        assert order.index("expected") < order.index("on_time") < order.index("late")
        assert order.index("late") < order.index("missing") < order.index("reporting_rate")
