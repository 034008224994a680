"""Giải thích thuật ngữ: the terms the pages use, from data_access.domain.glossary (the same text
as the help icons)."""

import streamlit as st

from data_access.domain.glossary import TERMS
from ui.auth import require

require(None)  # any signed-in role: the page holds no data (see ui.auth.require)

st.title("Giải thích thuật ngữ")
st.caption(
    "Các thuật ngữ và chữ viết tắt dùng trên các trang. Biểu tượng ? cạnh một số liệu cho xem nhanh giải thích tương ứng."
)
for term in TERMS:
    st.subheader(term.term)
    st.markdown(term.short)
    if term.more:
        st.markdown(term.more)
