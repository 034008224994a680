"""The terms the pages use, explained in Vietnamese: one entry per term, read by the glossary page
("Giải thích thuật ngữ") and by the help icons of the widgets and key figures that show the term,
so that both always say the same. Thresholds are quoted from their constants."""

from __future__ import annotations

from dataclasses import dataclass

from data_access.domain.completeness import (
    LOW_COMPLETENESS_PCT,
    MARK,
    MIN_PEOPLE_RANKED,
    MIN_UNITS_RANKED,
    SMALL_NOTE,
)
from data_access.domain.formats import num, pct


@dataclass(frozen=True)
class Term:
    key: str
    term: str  # as the pages write it
    short: str  # one or two sentences: the help icon's text
    more: str = ""  # what the glossary page adds below the short text


TERMS: tuple[Term, ...] = (
    Term(
        "bdg",
        "BĐG (bình đẳng giới)",
        "BĐG là viết tắt của bình đẳng giới: nam và nữ có vị trí, vai trò ngang nhau, được tạo "
        "điều kiện và cơ hội như nhau (Luật Bình đẳng giới 2006).",
        "Ban VSTBPN là Ban vì sự tiến bộ của phụ nữ của mỗi bộ, ngành, địa phương; các báo cáo "
        "định kỳ về công tác BĐG và vì sự tiến bộ của phụ nữ là nguồn số liệu của trang này.",
    ),
    Term(
        "ldcc",
        "LĐCC (lãnh đạo chủ chốt)",
        "LĐCC là lãnh đạo chủ chốt: người đứng đầu và cấp phó của cơ quan, đơn vị. Một đơn vị "
        "“có LĐCC nữ” khi ít nhất một lãnh đạo chủ chốt là nữ.",
        "Chiến lược quốc gia về bình đẳng giới 2021–2030 (Nghị quyết 28/NQ-CP) đặt mục tiêu về tỷ "
        "lệ cơ quan, đơn vị có lãnh đạo chủ chốt là nữ: chỉ tiêu này đếm đơn vị, không đếm người.",
    ),
    Term(
        "female_share",
        "Tỷ lệ nữ",
        "Tỷ lệ nữ = số nữ ÷ tổng số (nam và nữ) của cùng một nhóm, ví dụ nữ lãnh đạo, quản lý ÷ "
        "toàn bộ lãnh đạo, quản lý; làm tròn một chữ số thập phân.",
        "Khi gộp nhiều đơn vị, tỷ lệ tính trên tổng số người của các đơn vị, không phải trung "
        "bình các tỷ lệ. Mỗi tỷ lệ được ghi kèm số người làm cơ sở.",
    ),
    Term(
        "representation",
        "Tỷ lệ đại diện (hệ số đại diện)",
        "Tỷ lệ đại diện = tỷ lệ nữ của một nhóm ÷ tỷ lệ nữ trong toàn bộ công chức, viên chức, "
        "người lao động. Bằng 1,0: phụ nữ có mặt đúng theo tỷ lệ của mình; dưới 1,0: ít hơn.",
        "Ví dụ: nữ chiếm 50% nhân sự nhưng 25% lãnh đạo, quản lý thì tỷ lệ đại diện của nữ "
        "trong lãnh đạo, quản lý là 0,5.",
    ),
    Term(
        "completeness",
        "Đã báo cáo / phải báo cáo",
        "Số đơn vị đã gửi báo cáo kỳ này trên số đơn vị phải báo cáo (đơn vị đang hoạt động vào "
        f"ngày hạn nộp). Dấu {MARK}: dưới {pct(LOW_COMPLETENESS_PCT, 0)} số đơn vị đã báo cáo.",
        "Khi nhiều đơn vị chưa báo cáo, tỷ lệ của một tỉnh hay một ngành có thể thay đổi vài "
        "điểm % chỉ vì ai đã gửi: hãy đọc con số cùng mức đầy đủ của nó.",
    ),
    Term(
        "small",
        SMALL_NOTE.capitalize(),
        f"“{SMALL_NOTE.capitalize()}”: dưới {num(MIN_UNITS_RANKED)} đơn vị báo cáo hoặc dưới "
        f"{num(MIN_PEOPLE_RANKED)} người làm cơ sở. Con số vẫn hiển thị nhưng không được xếp hạng.",
        f"Với dưới {num(MIN_UNITS_RANKED)} đơn vị, một đơn vị thay lãnh đạo chủ chốt làm tỷ lệ "
        f"thay đổi hơn {num(100 / MIN_UNITS_RANKED, 0)} điểm %; với dưới "
        f"{num(MIN_PEOPLE_RANKED)} người, một người làm tỷ lệ thay đổi hơn "
        f"{num(100 / MIN_PEOPLE_RANKED, 0)} điểm %.",
    ),
    Term(
        "same_period",
        "Cùng kỳ",
        "So sánh cùng kỳ: so với kỳ cùng loại trước đó (6 tháng với 6 tháng, cả năm với cả năm); "
        "báo cáo 6 tháng và báo cáo năm không bao giờ được cộng với nhau.",
        "Kỳ 6 tháng hạn nộp 15/06, kỳ cả năm hạn nộp 30/11; số liệu của báo cáo năm đã bao gồm "
        "6 tháng đầu năm.",
    ),
    Term(
        "like_for_like",
        "Trên cùng đơn vị",
        "Thay đổi “trên cùng đơn vị” chỉ tính các đơn vị có báo cáo ở cả hai kỳ, để con số không "
        "tăng giảm chỉ vì có đơn vị mới, đơn vị giải thể hay đơn vị chưa báo cáo.",
        "Bên cạnh mỗi thay đổi, trang ghi số đơn vị được so sánh và số đơn vị mới, đã giải thể "
        "hoặc sáp nhập, chưa báo cáo.",
    ),
    Term(
        "province_sets",
        "Bộ mã 34/63 tỉnh",
        "Từ 01/07/2025 cả nước có 34 tỉnh, thành phố (trước đó 63). Chọn bộ 34 tỉnh: số liệu cũ "
        "được cộng vào tỉnh mới theo bảng chuyển đổi; chọn bộ 63 tỉnh: xem theo địa giới cũ.",
        "52 tỉnh cũ hợp nhất thành 23 tỉnh mới, 11 tỉnh giữ nguyên. Một số mã được dùng lại cho "
        "tỉnh khác (ví dụ mã 15 nay là Lào Cai, trước là Yên Bái), nên mã tỉnh luôn đi kèm bộ mã.",
    ),
    Term(
        "gender_index",
        "Chỉ số BĐG",
        "Chỉ số bình đẳng giới từ 1 đến 100 (100 là bình đẳng hoàn toàn), tổng hợp các lĩnh vực "
        "theo cách của Chỉ số bình đẳng giới châu Âu (EIGE), để so sánh tỉnh, ngành qua các năm.",
        "Mỗi tỷ lệ nữ được chấm theo khoảng cách tới 50%; chỉ số là trung bình nhân có trọng số "
        "của các lĩnh vực. Tỉnh, ngành có số liệu ít được chấm điểm nhưng không xếp hạng; khoảng "
        "hạng cho biết hạng thay đổi thế nào khi trọng số thay đổi.",
    ),
)
_BY_KEY = {t.key: t for t in TERMS}


def term(key: str) -> Term:
    return _BY_KEY[key]


def help_text(*keys: str) -> str:
    """The help icon's text: each term's short explanation, one paragraph per term."""
    return "\n\n".join(_BY_KEY[k].short for k in keys)


__all__ = ["TERMS", "Term", "help_text", "term"]
