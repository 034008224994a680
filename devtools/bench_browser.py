"""The pages as a leader waits for them: `streamlit run` in a real headless Chromium.

    python -m devtools bench-browser [--sample] [--sessions 20] [--rounds 3] [-o FILE]

One session signs in and opens every leadership page by its menu link, timed from the click to
the page's last chart painted (the script idle, every visible Vega embed drawn), `rounds` times;
then `sessions` sessions at once, each signing in and walking the pages. Next to them, the
one-query reference script (devtools.bench_pages.REFERENCE) opened the same way. The server's CPU
time and peak memory are read from /proc of its process, so the browsers' own CPU (on the same
machine) does not count in them.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.e2e.server import CHROMIUM_ARGS, StreamlitServer, chromium_path

DEMO_USER, DEMO_PASSWORD = "lanhdao", "demo-2026"
# Menu titles of the leadership pages, in menu order (app.LEADERSHIP).
LEADERSHIP_PAGES = [
    "Tổng quan",
    "Tỷ lệ giới",
    "Lãnh đạo, quản lý",
    "Hoạt động, chiến dịch",
    "Đào tạo, phát triển",
    "Địa phương",
    "Chỉ số bình đẳng giới",
    "Đơn vị",
    "Tra cứu, xuất dữ liệu",
    "Báo cáo tổng hợp",
]
# One page may take this long before the bench gives up on it (recorded, not raised).
PAGE_TIMEOUT_MS = 120_000
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# The names Chromium's own binary goes by (Debian's, Google's, Playwright's headless shell).
CHROMIUM_BINARIES = {"chromium", "chrome", "headless_shell", "chrome-headless-shell"}
# Every session a client address of its own, as leaders at their own machines: the app checks
# one password at a time per client, so sessions sharing the loopback would queue at sign-in.
# Not a proxy header (X-Real-IP would make the app refuse the demo password).
CLIENT_HEADER = "X-Bench-Client"
SERVER_ENV = {"VSTBPN_CLIENT_ADDRESS_HEADER": CLIENT_HEADER}
_clients = iter(range(1, 1_000_000))


async def _context(browser: Any) -> Any:
    client = next(_clients)
    context = await browser.new_context(
        viewport={"width": 1440, "height": 1000},
        locale="vi-VN",
        extra_http_headers={CLIENT_HEADER: f"10.18.{client // 250}.{client % 250 + 1}"},
    )
    # Every step waits as long as a page may take, not Playwright's 30 s: twenty browsers opening
    # the app at once on two cores load its scripts in 25–35 s (the browsers' CPU), and a sign-in
    # cut short at the address bar is an artefact of the bench, not a figure.
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    return context


# True once the script is idle and every visible chart has drawn its canvas or SVG. The page's
# heading tells the new page from the one still on screen: `want.title` a text it contains, or
# `want.leaving` the heading of the page the click left (menu titles and headings differ).
_PAINTED = """(want) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (want.title !== null || want.leaving !== null) {
    const h1 = document.querySelector("[data-testid='stMain'] h1");
    if (!h1) return false;
    if (want.title !== null && !h1.textContent.includes(want.title)) return false;
    if (want.leaving !== null && h1.textContent === want.leaving) return false;
  }
  if (document.querySelector("[data-testid='stSkeleton']")) return false;
  for (const chart of document.querySelectorAll("[data-testid='stVegaLiteChart']")) {
    if (chart.offsetParent === null) continue;  // in a closed tab or expander
    if (!chart.querySelector('canvas, svg.marks')) return false;
  }
  return true;
}"""


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process `pid` so far (/proc/PID/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def machine_cpu_seconds() -> float:
    """CPU seconds every process of the machine has spent so far, all cores (/proc/stat: the
    first line's user, nice, system, irq and softirq ticks): with 20 browsers on the server's
    cores, what the server did not use went to them."""
    ticks = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(t) for t in ticks[:7])
    return (user + nice + system + irq + softirq) / CLOCK_TICKS


def browser_cpu_seconds() -> float:
    """CPU seconds of every Chromium process so far (the browser, its renderers and helpers:
    each process running a Chromium binary; Debian's /usr/bin/chromium is a script that starts
    /usr/lib/chromium/chromium). The bench runs the only Chromium on the machine; a process gone
    between listing and reading counts nothing."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if Path(os.readlink(entry / "exe")).name not in CHROMIUM_BINARIES:
                continue
            total += server_cpu_seconds(int(entry.name))
        except OSError:
            continue
    return total


def server_peak_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of process `pid`, MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return -1.0


def _quantiles(samples: Sequence[float]) -> dict[str, Any]:
    if not samples:
        return {"n": 0, "p50_ms": None, "p95_ms": None}
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered)),
        "p95_ms": round(p95),
    }


async def _painted(page: Any, title: str | None = None, leaving: str | None = None) -> None:
    await page.wait_for_function(
        _PAINTED, arg={"title": title, "leaving": leaving}, polling="raf", timeout=PAGE_TIMEOUT_MS
    )


async def _sign_in(page: Any, base_url: str) -> float:
    """Milliseconds from opening the address to the first page painted after signing in."""
    started = time.perf_counter()
    await page.goto(base_url)
    await _painted(page, None)
    await page.get_by_label("Tên đăng nhập").fill(DEMO_USER)
    await page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Đăng nhập", exact=True).click()
    await page.get_by_role("button", name="Đăng xuất").wait_for(timeout=PAGE_TIMEOUT_MS)
    await _painted(page, LEADERSHIP_PAGES[0])
    return 1000 * (time.perf_counter() - started)


async def _open(page: Any, title: str) -> float:
    """Milliseconds from the click on the menu link `title` to the page painted."""
    link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True)
    leaving = await page.locator("[data-testid='stMain'] h1").first.text_content()
    started = time.perf_counter()
    await link.click()
    await _painted(page, leaving=leaving)
    return 1000 * (time.perf_counter() - started)


async def _walk(
    browser: Any,
    base_url: str,
    titles: Sequence[str],
    rounds: int,
    timings: dict[str, list[float]],
    pid: int | None = None,
) -> dict[str, Any]:
    """One session: sign in, then open each page `rounds` times by its link; with the server's
    `pid` (a session alone), the server's CPU seconds of each page view too."""
    context = await _context(browser)
    page = await context.new_page()
    errors: list[str] = []
    sign_in_ms = -1.0
    cpu: list[float] = []
    browser_cpu: list[float] = []
    try:
        sign_in_ms = await _sign_in(page, base_url)
        # The sign-in lands on the first page: start from the second, so every click leaves one.
        for _ in range(rounds):
            for title in [*titles[1:], *titles[:1]]:
                try:
                    before = server_cpu_seconds(pid) if pid else 0.0
                    browser_before = browser_cpu_seconds() if pid else 0.0
                    timings.setdefault(title, []).append(await _open(page, title))
                    if pid:
                        cpu.append(server_cpu_seconds(pid) - before)
                        browser_cpu.append(browser_cpu_seconds() - browser_before)
                except Exception as error:  # a page that never paints: recorded, the walk goes on
                    errors.append(f"{title}: {type(error).__name__}")
    except Exception as error:
        errors.append(f"sign-in: {type(error).__name__}")
    finally:
        await context.close()
    return {"sign_in_ms": sign_in_ms, "errors": errors, "cpu": cpu, "browser_cpu": browser_cpu}


async def _sign_in_alone(browser: Any, base_url: str, pid: int) -> dict[str, Any]:
    """One more leader, alone on the server: a fresh browser signs in and the first page
    paints; with the server's CPU seconds for all of it (closing the browser included)."""
    cpu_start = server_cpu_seconds(pid)
    walked = await _walk(browser, base_url, [], 0, {})
    return {**walked, "cpu": server_cpu_seconds(pid) - cpu_start}


def _median(samples: Sequence[float]) -> int:
    """Rounded median; -1 when nothing was measured (every attempt failed: see the errors)."""
    return round(statistics.median(samples)) if samples else -1


async def _reference(browser: Any, base_url: str, rounds: int) -> dict[str, Any]:
    """The reference script opened, then reloaded `rounds` times (its cache warm)."""
    context = await _context(browser)
    page = await context.new_page()
    try:
        started = time.perf_counter()
        await page.goto(base_url)
        await _painted(page, None)
        first = 1000 * (time.perf_counter() - started)
        cached = []
        for _ in range(rounds):
            started = time.perf_counter()
            await page.reload()
            await _painted(page, None)
            cached.append(1000 * (time.perf_counter() - started))
    finally:
        await context.close()
    return {"first_ms": round(first), **_quantiles(cached)}


async def _measure(
    url: str, sessions: int, titles: Sequence[str], rounds: int, concurrent_rounds: int
) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    from devtools.bench_pages import REFERENCE

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            with StreamlitServer(url, SERVER_ENV) as server:
                assert server.process is not None
                pid = server.process.pid
                # The first session of a fresh server runs Streamlit's old pages/ mode (README,
                # "Known limitations"): open one before measuring, as the e2e tests do.
                warm = await browser.new_page()
                await warm.goto(server.base_url, timeout=PAGE_TIMEOUT_MS)
                await _painted(warm, None)
                await warm.close()

                single: dict[str, list[float]] = {}
                # The first leader after a start pays the imports and fills the data caches
                # (every page once); the figure per sign-in is the next leaders', as every later
                # one pays it: `rounds` of them, each a fresh browser (the page load with its
                # static files, the sign-in, the first page), the median as for the pages.
                cpu_start = server_cpu_seconds(pid)
                await _walk(browser, server.base_url, titles, 1, {})
                cpu_first_walk = server_cpu_seconds(pid) - cpu_start
                sign_ins = [
                    await _sign_in_alone(browser, server.base_url, pid) for _ in range(rounds)
                ]
                walked = await _walk(browser, server.base_url, titles, rounds, single, pid)
                cpu_per_view = statistics.mean(walked["cpu"]) if walked["cpu"] else -1.0
                browser_per_view = (
                    statistics.mean(walked["browser_cpu"]) if walked["browser_cpu"] else -1.0
                )

                crowd: dict[str, list[float]] = {}
                cpu_start, machine_start = server_cpu_seconds(pid), machine_cpu_seconds()
                crowd_start = time.perf_counter()
                walks = await asyncio.gather(
                    *(
                        _walk(browser, server.base_url, titles, concurrent_rounds, crowd)
                        for _ in range(sessions)
                    )
                )
                cpu_crowd = server_cpu_seconds(pid) - cpu_start
                machine_crowd = machine_cpu_seconds() - machine_start
                wall_crowd = time.perf_counter() - crowd_start
                peak = server_peak_mb(pid)

            with tempfile.TemporaryDirectory() as directory:
                script = Path(directory) / "reference.py"
                script.write_text(REFERENCE, encoding="utf-8")
                with StreamlitServer(url, script=script) as ref_server:
                    assert ref_server.process is not None
                    reference = await _reference(browser, ref_server.base_url, rounds)
                    reference["peak_rss_mb"] = server_peak_mb(ref_server.process.pid)
        finally:
            await browser.close()
    signed_in = [s for s in sign_ins if s["sign_in_ms"] > 0]
    sign_in_cpu = [s["cpu"] for s in signed_in]
    return {
        "sessions": sessions,
        "rounds": rounds,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "single": {
            "sign_in_ms": _median([s["sign_in_ms"] for s in signed_in]),
            "sign_in": _quantiles([s["sign_in_ms"] for s in signed_in]),
            "pages": {t: _quantiles(single.get(t, [])) for t in titles},
            "errors": [e for s in sign_ins for e in s["errors"]] + walked["errors"],
        },
        "concurrent": {
            "sign_in": _quantiles([w["sign_in_ms"] for w in walks if w["sign_in_ms"] > 0]),
            "pages": {t: _quantiles(crowd.get(t, [])) for t in titles},
            "errors": [e for w in walks for e in w["errors"]],
            "server_cpu_s": round(cpu_crowd, 2),
            # Where the machine's CPU went while the sessions ran: the server's share of all
            # processes' CPU (the rest: the browsers and the bench), and of the cores' time.
            "wall_s": round(wall_crowd, 1),
            "machine_cpu_s": round(machine_crowd, 2),
            "server_share_of_cpu_pct": round(100 * cpu_crowd / max(machine_crowd, 1e-9), 1),
            "cores_busy_pct": round(
                100 * machine_crowd / max(wall_crowd * (os.cpu_count() or 1), 1e-9), 1
            ),
        },
        "server": {
            "peak_rss_mb": peak,
            "cpu_ms_per_sign_in_and_first_page": _median([1000 * c for c in sign_in_cpu]),
            # Each of those sign-ins, in order (the spread behind the median).
            "cpu_ms_sign_ins": [round(1000 * c) for c in sign_in_cpu],
            # The fresh browser's page load (static files), the sign-in and the first page.
            "cpu_ms_first_walk_after_start": round(1000 * cpu_first_walk),
            "cpu_ms_per_cached_page_view": round(1000 * cpu_per_view),
            # The same views' CPU in Chromium (painting the page): what each of 20 sessions on
            # the server's cores costs the machine besides the server.
            "browser_cpu_ms_per_cached_page_view": round(1000 * browser_per_view),
        },
        "reference": reference,
    }


def run(
    url: str,
    sessions: int = 20,
    titles: Sequence[str] = LEADERSHIP_PAGES,
    rounds: int = 3,
    concurrent_rounds: int = 1,
) -> dict[str, Any]:
    """Browser timings of the app served over the database at `url` (see the module doc)."""
    return asyncio.run(_measure(url, sessions, list(titles), rounds, concurrent_rounds))


def table(results: dict[str, Any]) -> str:
    """Plain-text summary of `run`'s results."""
    n = results["sessions"]
    s, c, server, ref = (
        results["single"],
        results["concurrent"],
        results["server"],
        results["reference"],
    )
    lines = [
        f"browser: load average {results['load_average']}, sign-in + first page "
        f"{s['sign_in_ms']} ms (one session, median of {s['sign_in']['n']})",
        f"{'page':<24}{'1 p50':>8}{'1 p95':>8}{f'{n} p50':>9}{f'{n} p95':>9}",
    ]
    for title, one in s["pages"].items():
        many = c["pages"][title]
        lines.append(
            f"{title:<24}{one['p50_ms']!s:>8}{one['p95_ms']!s:>8}{many['p50_ms']!s:>9}{many['p95_ms']!s:>9}"
        )
    lines.append(
        f"reference script: first {ref['first_ms']} ms, reload p50 {ref['p50_ms']} ms, "
        f"p95 {ref['p95_ms']} ms"
    )
    lines.append(
        f"{n} sessions: {c['wall_s']} s; the cores {c['cores_busy_pct']}% busy, the server "
        f"{c['server_cpu_s']} s of CPU = {c['server_share_of_cpu_pct']}% of all processes' "
        f"{c['machine_cpu_s']} s (the rest: the browsers)"
    )
    lines.append(
        f"server: peak {server['peak_rss_mb']} MB; CPU {server['cpu_ms_per_sign_in_and_first_page']} ms "
        f"per sign-in + first page (median of {server['cpu_ms_sign_ins']}), "
        f"{server['cpu_ms_per_cached_page_view']} ms per cached page view "
        f"(Chromium: {server['browser_cpu_ms_per_cached_page_view']} ms); "
        f"errors: {len(s['errors']) + len(c['errors'])}"
    )
    return "\n".join(lines)
