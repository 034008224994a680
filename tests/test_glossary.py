"""Giải thích thuật ngữ: one glossary (data_access.domain.glossary) for the page every role
reaches and for the help icons of the leadership pages' key figures and widgets."""

import pytest
from sqlalchemy import Engine

from data_access import auth
from data_access.auth import Identity
from data_access.domain import glossary
from tests.apptest import ADMIN, ROOT, SECRETARIAT_BHXH, VIEWER, open_app

GLOSSARY_PAGE = str(ROOT / "pages/glossary.py")
REQUIRED = ["LĐCC", "BĐG", "34/63", "đại diện", "Tỷ lệ nữ", "Đã báo cáo / phải báo cáo"]
REQUIRED += ["Số liệu ít", "Cùng kỳ", "Trên cùng đơn vị", "Chỉ số BĐG"]


def test_the_glossary_has_every_term_the_pages_use() -> None:
    names = " ".join(t.term for t in glossary.TERMS)
    assert [r for r in REQUIRED if r not in names] == []
    assert len({t.key for t in glossary.TERMS}) == len(glossary.TERMS)
    assert all(t.short.strip() for t in glossary.TERMS)


def _reporter(engine: Engine) -> Identity:
    auth.create_user(engine, "donvi.bhxh-tw01", "reporter", "mat-khau-dai", unit="BHXH-TW01")
    return Identity("donvi.bhxh-tw01", "reporter", ("BHXH",), unit="BHXH-TW01")


@pytest.mark.parametrize("role", ["viewer", "secretariat", "admin", "reporter"])
def test_every_role_reaches_the_glossary(app_db: Engine, role: str) -> None:
    who = {"viewer": VIEWER, "secretariat": SECRETARIAT_BHXH, "admin": ADMIN}.get(role)
    at = open_app(who or _reporter(app_db))
    at.switch_page(GLOSSARY_PAGE).run()  # raises when the page is not in the role's menu
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Giải thích thuật ngữ"
    shown = " ".join(str(e.value) for e in [*at.markdown, *at.subheader])
    for t in glossary.TERMS:
        assert t.term in shown and t.short in shown


def test_the_overview_key_figures_explain_their_terms_from_the_glossary(app_db: Engine) -> None:
    at = open_app(VIEWER)  # lands on Tổng quan
    helps = {m.label: m.proto.help for m in at.metric}
    shares = [h for label, h in helps.items() if label.startswith("Tỷ lệ nữ – ")]
    assert shares and all(glossary.help_text("female_share", "like_for_like") in h for h in shares)
    assert glossary.term("ldcc").short in helps["Đơn vị có lãnh đạo chủ chốt là nữ"]
    assert glossary.term("completeness").short in helps["Tỷ lệ đơn vị đã báo cáo"]
    assert at.radio(key="f_set").help == glossary.help_text("province_sets")
