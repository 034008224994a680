"""Gửi nhắc nhở: on the tracking page, e-mail the contacts of the selected missing units after a
preview. data_access.reporting.reminders decides who may send, to whom, and never twice a day."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access.auth import Identity, PermissionDenied
from data_access.reporting import reminders
from ui import data, fmt

PREVIEW_KEY = "reminder_preview"


def _units_table(units: list[reminders.UnitRef]) -> pd.DataFrame:
    return pd.DataFrame(
        [(u.unit_code, u.unit_name) for u in units], columns=["Mã đơn vị", "Đơn vị"]
    )


def panel(who: Identity, period: str, missing: pd.DataFrame) -> None:
    """`missing`: the tracking list's missing units (unit_code, unit_name)."""
    st.subheader("Gửi nhắc nhở")
    if missing.empty:
        return
    names = dict(zip(missing["unit_code"], missing["unit_name"], strict=True))
    chosen = st.multiselect(
        "Đơn vị cần nhắc",
        list(names),
        default=list(names),
        format_func=lambda code: f"{names[code]} ({code})",
        key=f"reminder_units_{period}",
    )
    if st.button("Xem trước thư nhắc", disabled=not chosen, key="reminder_preview_button"):
        try:
            result = reminders.remind(
                data.engine(),
                period,
                identity=who,
                user=who.username,
                url=reminders.sign_in_url(),
                units=chosen,
                dry_run=True,
            )
        except (reminders.ReminderError, PermissionDenied) as error:
            st.error(str(error))
            return
        st.session_state[PREVIEW_KEY] = result
    preview: reminders.Result | None = st.session_state.get(PREVIEW_KEY)
    if preview is None or preview.period != period:
        return
    _show(preview)
    if preview.messages and st.button(
        f"Gửi nhắc nhở ({fmt.num(len(preview.messages))} thư)",
        type="primary",
        key="reminder_send",
    ):
        del st.session_state[PREVIEW_KEY]
        try:
            sent = reminders.remind(
                data.engine(),
                period,
                identity=who,
                user=who.username,
                url=reminders.sign_in_url(),
                settings=reminders.smtp_settings(),
                units=[m.unit_code for m in preview.messages],
            )
        except (reminders.ReminderError, PermissionDenied) as error:
            st.error(str(error))
            return
        if sent.messages:
            st.success(f"Đã gửi {fmt.num(len(sent.messages))} thư nhắc.")
        for message, reason in sent.failed:
            st.error(f"Không gửi được thư cho {message.unit_name} ({message.address}): {reason}")
        if sent.already_today:
            st.info(
                f"{fmt.num(len(sent.already_today))} đơn vị đã được nhắc hôm nay nên không gửi lại."
            )


def _show(preview: reminders.Result) -> None:
    if preview.messages:
        st.dataframe(
            pd.DataFrame(
                [(m.unit_name, m.contact_name or "", m.address) for m in preview.messages],
                columns=["Đơn vị", "Người nhận", "Địa chỉ thư"],
            ),
            hide_index=True,
            width="stretch",
        )
        first = preview.messages[0]
        with st.expander(f"Nội dung thư (gửi {first.unit_name})"):
            st.text(f"Tiêu đề: {first.subject}\n\n{first.body}")
    else:
        st.info("Không có thư nào để gửi.")
    if preview.already_today:
        st.caption("Đã nhắc hôm nay, không gửi lại:")
        st.dataframe(_units_table(preview.already_today), hide_index=True, width="stretch")
    if preview.no_address:
        st.caption("Chưa có địa chỉ thư của người liên hệ (cập nhật ở danh mục đơn vị):")
        st.dataframe(_units_table(preview.no_address), hide_index=True, width="stretch")
