"""Router: page config and navigation. Pages draw the shared sidebar filters themselves."""

import streamlit as st

st.set_page_config(
    page_title="Bình đẳng giới – Ban VSTBPN",
    page_icon=":material/balance:",
    layout="wide",
    initial_sidebar_state="expanded",
)

pages = {
    "Lãnh đạo": [
        st.Page(
            "pages/overview.py",
            title="Tổng quan",
            icon=":material/dashboard:",
            url_path="tong-quan",
            default=True,
        ),
        st.Page(
            "pages/gender_ratio.py",
            title="Tỷ lệ giới",
            icon=":material/balance:",
            url_path="ty-le-gioi",
        ),
        st.Page(
            "pages/leadership.py",
            title="Lãnh đạo, quản lý",
            icon=":material/account_balance:",
            url_path="lanh-dao",
        ),
        st.Page(
            "pages/campaigns.py",
            title="Hoạt động, chiến dịch",
            icon=":material/campaign:",
            url_path="hoat-dong",
        ),
        st.Page(
            "pages/capacity.py",
            title="Đào tạo, phát triển",
            icon=":material/school:",
            url_path="dao-tao",
        ),
        st.Page(
            "pages/provinces.py", title="Địa phương", icon=":material/map:", url_path="dia-phuong"
        ),
        st.Page("pages/unit.py", title="Đơn vị", icon=":material/apartment:", url_path="don-vi"),
        st.Page(
            "pages/explore.py",
            title="Tra cứu, xuất dữ liệu",
            icon=":material/search:",
            url_path="tra-cuu",
        ),
    ],
    "Thư ký": [
        st.Page(
            "pages/upload.py",
            title="Tải dữ liệu lên",
            icon=":material/upload_file:",
            url_path="tai-du-lieu",
        ),
        st.Page(
            "pages/tracking.py",
            title="Tình hình báo cáo",
            icon=":material/event_available:",
            url_path="tinh-hinh-bao-cao",
        ),
        st.Page(
            "pages/history.py",
            title="Lịch sử tải lên",
            icon=":material/history:",
            url_path="lich-su",
        ),
    ],
}
st.navigation(pages).run()
