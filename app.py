"""Router: page config, the sign-in gate and the menu for the user's role. No queries here.

With st.navigation only the pages registered for this run exist: a page outside the user's role
is not in the menu, and a link to it does not open it.

`streamlit run app.py` finds the `st.App` at the bottom and serves it (with security headers and
pages/ auto-discovery off from the start: ui/server.py); each session then runs this file as
`__main__`, which is the router.
"""

from collections.abc import Callable

import streamlit as st

from data_access.auth import ROLE_LABELS_VI, Identity
from data_access.registry import setup
from ui import addresses, auth, data, fmt, login, password, style

# (script, title, icon, url path) of every page, by the role that first gets it.
LEADERSHIP = [
    ("pages/overview.py", "Tổng quan", ":material/dashboard:", "tong-quan"),
    ("pages/gender_ratio.py", "Tỷ lệ giới", ":material/balance:", "ty-le-gioi"),
    ("pages/leadership.py", "Lãnh đạo, quản lý", ":material/account_balance:", "lanh-dao"),
    ("pages/campaigns.py", "Hoạt động, chiến dịch", ":material/campaign:", "hoat-dong"),
    ("pages/capacity.py", "Đào tạo, phát triển", ":material/school:", "dao-tao"),
    ("pages/provinces.py", "Địa phương", ":material/map:", "dia-phuong"),
    ("pages/gender_index.py", "Chỉ số bình đẳng giới", ":material/leaderboard:", "chi-so"),
    ("pages/unit.py", "Đơn vị", ":material/apartment:", "don-vi"),
    ("pages/explore.py", "Tra cứu, xuất dữ liệu", ":material/search:", "tra-cuu"),
    ("pages/report.py", "Báo cáo tổng hợp", ":material/description:", "bao-cao"),
]
SECRETARIAT = [
    ("pages/upload.py", "Tải dữ liệu lên", ":material/upload_file:", "tai-du-lieu"),
    ("pages/approval.py", "Duyệt báo cáo", ":material/fact_check:", "duyet-bao-cao"),
    ("pages/tracking.py", "Tình hình báo cáo", ":material/event_available:", "tinh-hinh-bao-cao"),
    ("pages/history.py", "Lịch sử tải lên", ":material/history:", "lich-su"),
    ("pages/units_admin.py", "Quản lý đơn vị", ":material/account_tree:", "quan-ly-don-vi"),
]
REPORTER = [("pages/report_form.py", "Nhập báo cáo", ":material/edit_note:", "nhap-bao-cao")]
ADMIN = [
    ("pages/admin_users.py", "Tài khoản", ":material/manage_accounts:", "tai-khoan"),
    ("pages/setup.py", "Thiết lập", ":material/settings:", "thiet-lap"),
    ("pages/catalogue_admin.py", "Chỉ tiêu", ":material/checklist:", "chi-tieu"),
]
# Every role's menu: the terms the pages use (the help icons say the same).
HELP = [("pages/glossary.py", "Giải thích thuật ngữ", ":material/menu_book:", "thuat-ngu")]
PAGE_URLS = [url for _, _, _, url in [*LEADERSHIP, *SECRETARIAT, *ADMIN, *REPORTER, *HELP]]
DEFAULT_URL = "tong-quan"
SETUP_URL = "thiet-lap"  # where an administrator lands while the database has no unit
# Streamlit serves its default page at "/" only and matches no other address to it, so a link to
# /tong-quan met its English "Page not found" dialog. Every named address is therefore an ordinary
# page, and the default is a hidden page of its own at the root (named by ROOT_URL_PATH, which no
# link shows) that opens the role's first page.
ROOT_URL_PATH = "trang-dau"


def pages(specs: list[tuple[str, str, str, str]]) -> list[st.Page]:
    return [
        st.Page(script, title=title, icon=icon, url_path=url) for script, title, icon, url in specs
    ]


def root(render: Callable[[], None], title: str) -> st.Page:
    """The page at "/": hidden from the menu, it runs `render`."""
    return st.Page(render, title=title, url_path=ROOT_URL_PATH, default=True, visibility="hidden")


def forward_to(target: st.Page) -> Callable[[], None]:
    def forward() -> None:
        # A shared link at the root keeps its filters (switch_page would drop them).
        st.switch_page(target, query_params=st.query_params.to_dict())

    return forward


OUTSIDE_ROLE_TITLE = "Ngoài quyền truy cập"


def outside_role(first: st.Page) -> Callable[[], None]:
    """An address of a page the signed-in role has not: nothing of that page, the way back."""

    def render() -> None:
        st.warning(
            "Trang này không thuộc quyền của tài khoản đang đăng nhập.", icon=":material/block:"
        )
        st.page_link(first, label=f"Về trang {first.title}", icon=first.icon)

    return render


def route() -> None:
    st.set_page_config(
        page_title="Bình đẳng giới – Ban VSTBPN",
        page_icon=":material/balance:",
        layout="wide",
        # Streamlit's "auto": the menu open beside the page on a wide screen, closed on a phone
        # (where, open, it covers the page), also after the sign-in rerun that first fills it.
        initial_sidebar_state="auto",
    )
    style.apply()
    auth.sample_notice()
    identity = auth.current_identity()
    # Checked once for the run: the page's require() and the session watch take this answer.
    with auth.checked_this_run(identity):
        _menu_and_page(identity)


def _menu_and_page(identity: Identity | None) -> None:
    # While the database has no unit, an administrator is shown what to set up first; signing
    # in keeps the page the gate stood for, so the gate stands for that page too.
    empty = setup.is_empty(data.engine())
    # An address that names no page is a hidden page of its own, so Streamlit does not meet it
    # with its English "Page not found": the sign-in form, then a notice and the way back.
    unknown = addresses.unknown_page({*PAGE_URLS, ROOT_URL_PATH, password.URL_PATH})
    stray = [unknown] if unknown else []  # the address to answer beside the pages' own
    if identity is None:
        # Every address shows the sign-in form, so a shared link (with its filters) opens the
        # page it names once the user has signed in; nothing else is registered before that.
        gate = [root(login.render, "Đăng nhập")] + [
            st.Page(login.render, title="Đăng nhập", url_path=url) for url in [*PAGE_URLS, *stray]
        ]
        gate_page = st.navigation(gate, position="hidden")
        auth.cookie_bridge()  # after a sign-out: drop the cookie
        gate_page.run()
        return

    default = SETUP_URL if empty and identity.can("admin") else DEFAULT_URL
    own = st.Page(
        password.render, title=password.TITLE, icon=":material/key:", url_path=password.URL_PATH
    )
    menu = {"Lãnh đạo": pages(LEADERSHIP)} if identity.can("view") else {}
    if identity.can("report"):  # a unit's reporter sees its own form and nothing else
        menu["Đơn vị"] = pages(REPORTER)
        default = REPORTER[0][3]
    if identity.can("upload"):
        menu["Thư ký"] = pages(SECRETARIAT)
    if identity.can("admin"):
        menu["Quản trị"] = pages(ADMIN)
    menu["Trợ giúp"] = pages(HELP)
    first = next(
        (p for section in menu.values() for p in section if p.url_path == default),
        next(iter(menu.values()))[0] if menu else own,
    )
    mine = {p.url_path for section in menu.values() for p in section}
    # Another role's address is a hidden page saying so: left unregistered, Streamlit met it with
    # its English "Page not found" dialog over the user's first page.
    elsewhere = [
        st.Page(outside_role(first), title=OUTSIDE_ROLE_TITLE, url_path=url, visibility="hidden")
        for _, _, _, url in [*LEADERSHIP, *SECRETARIAT, *ADMIN, *REPORTER]
        if url not in mine
    ]
    nowhere = [
        st.Page(
            addresses.not_found(first),
            title=addresses.NOT_FOUND_TITLE,
            url_path=url,
            visibility="hidden",
        )
        for url in stray
    ]
    menu["Tài khoản của tôi"] = [own, root(forward_to(first), first.title), *elsewhere, *nowhere]
    forced = auth.must_change_password()
    if forced:
        # An initial or reset password: every address shows the change form until it is done.
        menu = {
            "": [root(password.render, password.TITLE)]
            + [
                st.Page(password.render, title=password.TITLE, url_path=url)
                for url in [*PAGE_URLS, password.URL_PATH, *stray]
            ]
        }
    with st.sidebar:
        scope = f" · {', '.join(identity.agencies)}" if identity.agencies else ""
        role = ROLE_LABELS_VI.get(identity.role, identity.role)
        st.caption(f"Đăng nhập: **{fmt.literal(identity.label)}** ({role}{scope})")
        if st.button("Đăng xuất", icon=":material/logout:", key="sign_out"):
            auth.sign_out()
            st.rerun()
        auth.watch_session()
    # Expanded: with fourteen pages, a collapsed menu would hide the secretariat pages.
    page = st.navigation(menu, expanded=True, position="hidden" if forced else "sidebar")
    # The root's forward would cut the bridge's script short (switch_page starts a new run before
    # the browser runs it), and the cookie of a sign-in at "/" was never written: the page it
    # opens runs the bridge instead.
    if forced or page.url_path != "":  # "" is the default page, the root
        auth.cookie_bridge()
    page.run()


if __name__ == "__main__":
    route()
else:  # imported by the ASGI server that `streamlit run app.py` starts
    from starlette.middleware import Middleware

    from ui import server

    app = st.App(
        __file__,
        middleware=[Middleware(server.StaticMemo), Middleware(server.SecurityHeaders)],
        lifespan=server.lifespan,
        routes=server.routes(),
    )
