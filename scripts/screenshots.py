"""Screenshots of the main pages for the README, from the same browser set-up as the e2e tests
(signed in as the sample database's administrator).

    python scripts/screenshots.py [-o docs/screenshots]

Starts the app on a free port over a fresh sample database, opens each page in Debian's Chromium
through Playwright, waits until Streamlit has finished running the script, and saves a PNG.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.actions import sign_in  # noqa: E402
from tests.e2e.server import StreamlitServer, browser_page, sample_database, wait_for_app  # noqa: E402

PAGES = {
    "": "01_tong_quan.png",
    "ty-le-gioi": "02_ty_le_gioi.png",
    "lanh-dao": "03_lanh_dao.png",
    "hoat-dong": "04_hoat_dong.png",
    "dao-tao": "05_dao_tao.png",
    "dia-phuong": "06_dia_phuong.png",
    "tra-cuu": "07_tra_cuu.png",
    "tai-du-lieu": "08_tai_du_lieu.png",
    "tinh-hinh-bao-cao": "09_tinh_hinh_bao_cao.png",
}
# The overview as a leader sees it on a phone (390 px: a common phone's CSS width).
PHONE_PAGES = {"tong-quan": "10_tong_quan_dien_thoai.png"}
DESKTOP = (1440, 900)
PHONE = (390, 844)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = sample_database(Path(tmp))
        with StreamlitServer(url) as server:
            shoot(server, DESKTOP, {path: PAGES[path] for path in args.pages}, args.output)
            shoot(server, PHONE, PHONE_PAGES, args.output)


def shoot(
    server: StreamlitServer, size: tuple[int, int], shots: dict[str, str], output: Path
) -> None:
    """Sign in once (the session then stays signed in), then open each address and save it."""
    with browser_page(width=size[0], height=size[1]) as page:
        page.goto(server.base_url)  # the first session after start-up (README, limitations)
        wait_for_app(page)
        for i, (path, name) in enumerate(shots.items()):
            if i == 0:
                sign_in(page, server.base_url, "quantri", path)
            else:
                page.goto(f"{server.base_url}/{path}")
                wait_for_app(page)
            # Charts and tables load after the script has run.
            page.get_by_test_id("stSkeleton").first.wait_for(state="detached")
            page.screenshot(path=str(output / name), full_page=True)
            print(f"saved {name}")


if __name__ == "__main__":
    main()
