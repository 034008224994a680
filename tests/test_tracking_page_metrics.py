"""The tracking page's shares beside its counts are not changes: no up or down arrow."""

from sqlalchemy import Engine
from streamlit.proto.Metric_pb2 import Metric as MetricProto

from tests.apptest import SECRETARIAT_BHXH, open_app


def test_the_shares_beside_received_and_on_time_carry_no_arrow(app_db: Engine) -> None:
    at = open_app(SECRETARIAT_BHXH, "pages/tracking.py")
    metrics = {m.label: m for m in at.metric}
    for label, base in (("Đã nhận", "đơn vị"), ("Đúng hạn", "số đã nhận")):
        assert metrics[label].delta.endswith(f"% {base}")
        assert metrics[label].proto.direction == MetricProto.MetricDirection.NONE
