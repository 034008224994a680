"""The file uploader with its instructions in Vietnamese.

Streamlit 1.67 draws its own English texts inside the widget ("Drag and drop a file here", the
"Upload" button, "50MB per file • CSV, …") and no parameter changes them (streamlit/streamlit
#13500, open); replacing them would mean CSS or script injection into Streamlit's markup, which
breaks with its next release. So the widget gets a Vietnamese label and help, a Vietnamese line
under it says the same, and its size limit is set from the constant so the English line at least
states the real limit.
"""

from collections.abc import Sequence

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from data_access.ingest.limits import MAX_UPLOAD_BYTES

LIMIT_MB = MAX_UPLOAD_BYTES // 2**20


def drop_hint(types: Sequence[str]) -> str:
    """What to do with the drop zone, the accepted types and the size limit, in Vietnamese."""
    accepted = ", ".join(f".{t}" for t in types)
    return (
        "Kéo thả file vào khung bên dưới, hoặc bấm nút có biểu tượng tải lên trong khung để chọn "
        f"file từ máy tính. Nhận file {accepted}; tối đa {LIMIT_MB} MB mỗi file."
    )


def file_uploader(label: str, types: Sequence[str], key: str) -> UploadedFile | None:
    """One file, with the Vietnamese instructions as its help and as a line under it."""
    hint = drop_hint(types)
    uploaded = st.file_uploader(
        label, type=list(types), key=key, help=hint, max_upload_size=LIMIT_MB
    )
    st.caption(hint)
    return uploaded
