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
}
st.navigation(pages).run()
