"""What a new database has and what it still needs before the committee can use it (the
"Thiết lập" page), and whether it is still empty (the app then opens that page for admins)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Select, func, select

from data_access.auth import Identity
from data_access.db.models import Agency, Indicator, Submission, Target, Unit, User


@dataclass(frozen=True)
class SetupStep:
    key: str
    label: str  # Vietnamese, as the page shows it
    count: int
    done: bool
    hint: str  # what to do when it is not done (or what is there when it is)


def is_empty(engine: Engine) -> bool:
    """No unit yet: the organisation registry has not been imported."""
    with engine.connect() as conn:
        return conn.execute(select(Unit.id).limit(1)).first() is None


def status(engine: Engine, *, identity: Identity) -> list[SetupStep]:
    """Agencies, units, indicators, targets, accounts and a first report: counted, each with
    what to do next. Administrators only."""
    identity.require("admin")
    with engine.connect() as conn:

        def count(query: Select[Any]) -> int:
            return int(conn.execute(query).scalar_one())

        agencies = count(select(func.count()).select_from(Agency))
        units = count(select(func.count()).select_from(Unit))
        indicators = count(select(func.count()).where(Indicator.active.is_(True)))
        targets = count(select(func.count()).select_from(Target))
        secretaries = count(select(func.count()).where(User.role == "secretariat", User.active))
        reports = count(select(func.count()).select_from(Submission))
    return [
        SetupStep(
            "agencies",
            "Ngành",
            agencies,
            agencies > 0,
            "Nhập danh mục ngành, hoặc danh mục đơn vị có cột “Tên ngành”.",
        ),
        SetupStep(
            "units",
            "Đơn vị",
            units,
            units > 0,
            "Nhập danh mục đơn vị (mẫu bên dưới có dòng ví dụ).",
        ),
        SetupStep(
            "indicators",
            "Chỉ tiêu",
            indicators,
            indicators > 0,
            "Danh mục chỉ tiêu quốc gia được nạp khi khởi tạo cơ sở dữ liệu.",
        ),
        SetupStep(
            "targets",
            "Mục tiêu",
            targets,
            targets > 0,
            "Mục tiêu của Chiến lược quốc gia được nạp khi khởi tạo cơ sở dữ liệu.",
        ),
        SetupStep(
            "accounts",
            "Tài khoản thư ký",
            secretaries,
            secretaries > 0,
            "Tạo tài khoản thư ký cho từng ngành (mục bên dưới).",
        ),
        SetupStep(
            "reports",
            "Báo cáo đầu tiên",
            reports,
            reports > 0,
            "Tải báo cáo của các đơn vị ở trang “Tải dữ liệu lên”.",
        ),
    ]
