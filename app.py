"""Router: page config, navigation and the shared sidebar. No queries here."""

import streamlit as st

st.set_page_config(
    page_title="Bình đẳng giới – Ban VSTBPN",
    page_icon="⚖️",
    layout="wide",
    initial_sidebar_state="expanded",
)

pages = {
    "Lãnh đạo": [
        st.Page(
            "pages/overview.py", title="Tổng quan", icon="📊", url_path="tong-quan", default=True
        ),
    ],
    "Thư ký": [
        st.Page("pages/upload.py", title="Tải dữ liệu lên", icon="📤", url_path="tai-du-lieu"),
        st.Page(
            "pages/tracking.py", title="Tình hình báo cáo", icon="🗓️", url_path="tinh-hinh-bao-cao"
        ),
        st.Page("pages/history.py", title="Lịch sử tải lên", icon="🕘", url_path="lich-su"),
    ],
}
st.navigation(pages).run()
