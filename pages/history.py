"""Lịch sử tải lên: who uploaded what, the earlier versions of a submission, and rollback."""

import streamlit as st

from data_access import ingest
from ui import data, fmt
from ui.auth import require

who = require("history")  # before anything else: see ui.auth.require

STATUS_VI = {"committed": "Đã ghi", "rolled_back": "Đã hoàn tác"}
KIND_VI = {"submissions": "Báo cáo", "activities": "Hoạt động", "registry": "Danh mục đơn vị"}
OUTCOME = "rollback_outcome"  # (st.success or st.error, message) of the last click, shown once


def roll_back(batch_id: int) -> None:
    """The button's callback: it runs before the page does, so the table of batches drawn in the
    same run already shows the batch as rolled back."""
    try:
        counts = ingest.rollback(data.engine(), batch_id, identity=who)
    except ingest.RollbackRefused as error:
        st.session_state[OUTCOME] = (st.error, str(error))
    else:
        data.data_changed()
        st.session_state[OUTCOME] = (
            st.success,
            f"Đã hoàn tác lô {batch_id}: xoá {fmt.num(counts['deleted'])} dòng, "
            f"khôi phục {fmt.num(counts['restored'])} dòng.",
        )


st.title("Lịch sử tải lên")
if who.agencies:
    st.caption(f"Các lô tải lên của ngành {', '.join(who.agencies)}.")
batches = data.upload_batches(who, data.version())
if batches.empty:
    st.info("Chưa có lô dữ liệu nào được tải lên.")
    st.stop()

view = batches.assign(
    kind=batches["kind"].map(KIND_VI),
    status=batches["status"].map(STATUS_VI),
    created_at=batches["created_at"].map(lambda t: t.strftime("%d/%m/%Y %H:%M")),
).drop(columns=["sha256", "rolled_back_at"])
st.dataframe(
    view,
    hide_index=True,
    width="stretch",
    column_config={
        "id": "Lô",
        "kind": "Loại",
        "file_name": "File",
        "agencies": "Ngành",
        "user_name": "Người tải",
        "created_at": "Thời điểm",
        "inserted": "Mới",
        "updated": "Thay đổi",
        "unchanged": "Giữ nguyên",
        "status": "Trạng thái",
    },
)

st.subheader("Hoàn tác một lô")
if OUTCOME in st.session_state:
    show, message = st.session_state.pop(OUTCOME)
    show(message)
active = batches[batches["status"] == "committed"]
if active.empty:
    st.caption("Không có lô nào có thể hoàn tác.")
else:
    # One lookup per option (a frame indexed once per option cost 0,3 s with 2.000 batches).
    file_names = dict(zip(active["id"].tolist(), active["file_name"].tolist(), strict=True))
    batch_id = st.selectbox(
        "Lô cần hoàn tác",
        list(file_names),
        format_func=lambda b: f"Lô {b} – {file_names[b]}",
        key="rollback_batch",
    )
    st.caption(
        "Hoàn tác khôi phục chính xác dữ liệu trước khi tải lô này: dòng mới bị xoá, dòng thay đổi trở lại giá trị cũ."
    )
    confirmed = st.checkbox(f"Tôi xác nhận hoàn tác lô {batch_id}.")
    st.button(
        "Hoàn tác",
        type="primary",
        disabled=not confirmed,
        key="rollback",
        on_click=roll_back,
        args=(int(batch_id),),
    )

st.subheader("Các phiên bản trước của một báo cáo")
# A link may name the report: ?don_vi=BHXH-QUANGTRI&ky=2022-Y (data_access applies the scope).
left, right = st.columns(2)
unit = left.text_input(
    "Mã đơn vị",
    value=st.query_params.get("don_vi", ""),
    placeholder="VD: BHXH-QUANGTRI",
    key="rev_unit",
)
period = right.text_input(
    "Kỳ báo cáo",
    value=st.query_params.get("ky", ""),
    placeholder="VD: 2022-Y",
    key="rev_period",
)
if unit.strip() and period.strip():
    try:
        found = ingest.revision_view(data.engine(), unit.strip(), period.strip(), identity=who)
    except ValueError:  # a period code that is not one
        found = None
    if found is None:
        st.info(
            "Không tìm thấy báo cáo của đơn vị này trong kỳ này"
            + (" thuộc phạm vi ngành được giao." if who.agencies else ".")
            + " Kiểm tra mã đơn vị và kỳ báo cáo (VD: 2022-Y là cả năm 2022, 2022-H1 là 6 tháng)."
        )
    else:
        st.caption(
            f"{found.unit_name} · {found.period_label} · "
            + (
                f"{fmt.num(found.n_revisions)} lần sửa đổi qua tải lên"
                if found.n_revisions
                else "chưa bị sửa đổi qua tải lên"
            )
        )
        # Pinned and medium: on a phone the versions stay beside their row's name when scrolled.
        st.dataframe(
            found.table,
            hide_index=True,
            width="stretch",
            column_config={
                ingest.FIELD_COLUMN: st.column_config.TextColumn(width="medium", pinned=True)
            },
        )
        documents = data.report_documents(unit.strip(), period.strip(), who, data.reports_version())
        if not documents.empty:
            st.markdown("**Danh sách văn bản ban hành** (mục I.1, đơn vị kê trên biểu mẫu)")
            st.dataframe(fmt.documents(documents), hide_index=True, width="stretch")
