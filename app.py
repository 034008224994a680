"""Router: page config, the sign-in gate and the menu for the user's role. No queries here.

With st.navigation only the pages registered for this run exist: a page outside the user's role
is not in the menu, and a link to it does not open it.
"""

import streamlit as st

from ui import auth

st.set_page_config(
    page_title="Bình đẳng giới – Ban VSTBPN",
    page_icon=":material/balance:",
    layout="wide",
    initial_sidebar_state="expanded",
)

LEADERSHIP = [
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
    st.Page("pages/provinces.py", title="Địa phương", icon=":material/map:", url_path="dia-phuong"),
    st.Page("pages/unit.py", title="Đơn vị", icon=":material/apartment:", url_path="don-vi"),
    st.Page(
        "pages/explore.py",
        title="Tra cứu, xuất dữ liệu",
        icon=":material/search:",
        url_path="tra-cuu",
    ),
]
SECRETARIAT = [
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
        "pages/history.py", title="Lịch sử tải lên", icon=":material/history:", url_path="lich-su"
    ),
]
ADMIN = [
    st.Page(
        "pages/admin_users.py",
        title="Tài khoản",
        icon=":material/manage_accounts:",
        url_path="tai-khoan",
    )
]

identity = auth.current_identity()
if identity is None:
    # Same url_path as the default page: after signing in, the same address opens the overview.
    login = st.Page(
        "pages/login.py",
        title="Đăng nhập",
        icon=":material/login:",
        url_path="tong-quan",
        default=True,
    )
    st.navigation([login], position="hidden").run()
    st.stop()

menu = {"Lãnh đạo": LEADERSHIP}
if identity.can("upload"):
    menu["Thư ký"] = SECRETARIAT
if identity.can("admin"):
    menu["Quản trị"] = ADMIN
with st.sidebar:
    scope = f" · {', '.join(identity.agencies)}" if identity.agencies else ""
    st.caption(f"Đăng nhập: **{identity.label}** ({identity.role}{scope})")
    if st.button("Đăng xuất", icon=":material/logout:", key="sign_out"):
        auth.sign_out()
        st.rerun()
st.navigation(menu).run()
