"""The file uploaders' own texts are English and fixed in Streamlit 1.67 (no parameter sets them:
streamlit/streamlit#13500 is open): around them, a Vietnamese label, instructions and a help text
that name the accepted types and the size limit, with the widget's limit set from the constant."""

import pytest
from sqlalchemy import Engine

from data_access.ingest.limits import MAX_UPLOAD_BYTES
from tests.apptest import ADMIN, SECRETARIAT_BHXH, open_app
from ui.uploads import drop_hint

LIMIT_MB = MAX_UPLOAD_BYTES // 2**20


@pytest.mark.parametrize(
    ("who", "page", "key", "types"),
    [
        (SECRETARIAT_BHXH, "pages/upload.py", "file_submissions", ["csv", "txt", "tsv", "xlsx"]),
        (ADMIN, "pages/setup.py", "registry_file", ["csv", "txt", "tsv", "xlsx"]),
    ],
)
def test_the_uploader_is_explained_in_vietnamese(
    app_db: Engine, who, page: str, key: str, types: list[str]
) -> None:
    at = open_app(who, page)
    proto = at.file_uploader(key=key).proto
    assert proto.max_upload_size_mb == LIMIT_MB  # the English "… per file" states our limit
    hint = drop_hint(types)
    assert f"{LIMIT_MB} MB" in hint and ".xlsx" in hint and "Kéo" in hint
    assert proto.help == hint
    assert hint in [c.value for c in at.caption]
