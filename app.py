"""Router: page config and navigation. Pages draw the shared sidebar filters themselves."""

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
        st.Page("pages/gender_ratio.py", title="Tỷ lệ giới", icon="⚖️", url_path="ty-le-gioi"),
        st.Page("pages/leadership.py", title="Lãnh đạo, quản lý", icon="🏛️", url_path="lanh-dao"),
        st.Page(
            "pages/campaigns.py", title="Hoạt động, chiến dịch", icon="📣", url_path="hoat-dong"
        ),
        st.Page("pages/capacity.py", title="Đào tạo, phát triển", icon="🎓", url_path="dao-tao"),
        st.Page("pages/provinces.py", title="Địa phương", icon="🗺️", url_path="dia-phuong"),
        st.Page("pages/unit.py", title="Đơn vị", icon="🏢", url_path="don-vi"),
        st.Page("pages/explore.py", title="Tra cứu, xuất dữ liệu", icon="🔎", url_path="tra-cuu"),
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
