"""Cold start and bytes on the wire, in headless Chromium (Playwright, Debian chromium).

For each app (the dashboard, then ``bench/apps/hello.py``): start ``streamlit run`` on a free
port, wait for ``/_stcore/health``, open the page and wait until the first KPI
(``[data-testid="stMetric"]``) is visible. Reported: process start → KPI visible, page open →
KPI visible, and the ratios dashboard / hello world; the dashboard twice: opened as soon as the
server answers (cold) and as ``scripts/run.sh`` starts it (``app_warmed``: the app run once by
``scripts/warm_up.py`` first; ``warm_up_s`` is that run). On the cold dashboard the map page is then
opened (in the same session) and the websocket bytes received until the deck canvas is drawn
are counted.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
HELLO = Path(__file__).resolve().parent / "apps" / "hello.py"
KPI = '[data-testid="stMetric"]'
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cold(browser, script: Path, map_path: str | None,  # noqa: ANN001
          warm: bool = False) -> dict[str, object]:
    """One fresh server. ``warm``: started as ``scripts/run.sh`` does — the app run once
    through the script health check (``scripts/warm_up.py``) before the page is opened."""
    from scripts.warm_up import wait_until_up, warm_up

    port = _free_port()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.scriptHealthCheckEnabled", "true"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}", 60, poll=0.02,
                      alive=lambda: proc.poll() is None)
        warm_s = warm_up(f"http://127.0.0.1:{port}") if warm else None
        t_ready = time.perf_counter()
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        received = {"bytes": 0}

        def on_ws(ws) -> None:  # noqa: ANN001
            ws.on("framereceived", lambda payload: received.__setitem__(
                "bytes", received["bytes"] + len(payload)))

        page.on("websocket", on_ws)
        t_open = time.perf_counter()
        page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
        page.locator(KPI).first.wait_for(state="visible", timeout=60_000)
        t_kpi = time.perf_counter()
        out: dict[str, object] = {
            "server_ready_s": t_ready - t0, "warm_up_s": warm_s, "page_open_to_kpi_s": t_kpi - t_open,
            "process_start_to_kpi_s": t_kpi - t0, "ws_bytes_first_page": received["bytes"]}
        if map_path:
            page.wait_for_timeout(1500)  # let the first page finish before counting the map
            received["bytes"] = 0
            t_map = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/{map_path}", wait_until="commit")
            page.locator("canvas").first.wait_for(state="visible", timeout=60_000)
            out["map_open_to_canvas_s"] = time.perf_counter() - t_map
            page.wait_for_timeout(1500)
            out["ws_bytes_map_page"] = received["bytes"]
        page.close()
        if map_path:  # the usual visit: server already warm, a new browser profile
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            t_open = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
            page.locator(KPI).first.wait_for(state="visible", timeout=60_000)
            out["warm_page_open_to_kpi_s"] = time.perf_counter() - t_open
            context.close()
        return out
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def measure(repeats: int = 3) -> dict[str, object]:
    """Median over ``repeats`` cold starts of each app (fresh server each time)."""
    import statistics

    from playwright.sync_api import sync_playwright

    runs: dict[str, list[dict[str, object]]] = {"app": [], "app_warmed": [], "hello": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            for _ in range(repeats):  # interleaved, so both see the same machine load
                runs["app"].append(_cold(browser, ROOT / "app.py", "ban-do"))
                runs["app_warmed"].append(_cold(browser, ROOT / "app.py", None, warm=True))
                runs["hello"].append(_cold(browser, HELLO, None))
        finally:
            browser.close()

    def med(name: str, key: str) -> float | None:
        values = [r[key] for r in runs[name] if r.get(key) is not None]
        return statistics.median(values) if values else None

    out: dict[str, object] = {"repeats": repeats}
    for name in runs:
        out[name] = {k: med(name, k) for k in runs[name][0]}
    for key in ("page_open_to_kpi_s", "process_start_to_kpi_s"):
        hello = out["hello"][key]  # type: ignore[index]
        out[f"ratio_{key}"] = out["app"][key] / hello if hello else None  # type: ignore[index]
        out[f"ratio_warmed_{key}"] = (out["app_warmed"][key] / hello  # type: ignore[index]
                                      if hello else None)
    out["runs"] = runs
    return out


def _finished(payload: object) -> bool:
    """True when a websocket frame is Streamlit's ``script_finished`` (a run has ended)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if not isinstance(payload, bytes):
        return False
    msg = ForwardMsg()
    try:
        msg.ParseFromString(payload)
    except Exception:  # noqa: BLE001 — not a ForwardMsg
        return False
    return msg.WhichOneof("type") == "script_finished"


def _visit(browser, base: str) -> dict[str, float]:  # noqa: ANN001
    """One visitor in a new browser profile on a warm server: page open → first KPI visible,
    then a year change in the sidebar: option clicked → the rerun's ``script_finished`` frame
    received and no element left stale (``data-stale``) on the page."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    sockets: list = []
    page.on("websocket", lambda ws: sockets.append(ws))
    try:
        t_open = time.perf_counter()
        page.goto(base + "/", wait_until="commit")
        page.locator(KPI).first.wait_for(state="visible", timeout=60_000)
        first_kpi = time.perf_counter() - t_open
        stale = "() => !document.querySelector('[data-stale=\"true\"]')"
        page.wait_for_function(stale, timeout=60_000)
        page.wait_for_timeout(300)
        box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
        box.click()
        options = page.get_by_role("option")
        options.first.wait_for(state="visible", timeout=10_000)
        texts = options.all_inner_texts()
        target = texts[-2] if len(texts) > 1 else texts[0]  # not the latest year
        with sockets[-1].expect_event("framereceived", predicate=_finished, timeout=60_000):
            t_click = time.perf_counter()
            options.nth(texts.index(target)).click()
        page.wait_for_function(stale, timeout=60_000)
        return {"first_kpi_s": first_kpi, "filter_change_s": time.perf_counter() - t_click}
    finally:
        context.close()


def visits(repeats: int = 5, env: dict[str, str] | None = None) -> dict[str, object]:
    """First KPI and filter-change time of a visitor on a warm server, dashboard vs
    ``bench/apps/hello_select.py`` (medians of ``repeats`` visits each, interleaved)."""
    import asyncio
    import statistics

    from playwright.sync_api import sync_playwright

    from bench import visits as vis
    from bench.stclient import visit

    procs = {"app": vis.start(ROOT / "app.py", vis.free_port(), env),
             "hello": vis.start(vis.HELLO, vis.free_port())}
    bases = {name: f"http://127.0.0.1:{p.args[p.args.index('--server.port') + 1]}"
             for name, p in procs.items()}
    runs: dict[str, list[dict[str, float]]] = {"app": [], "hello": []}
    try:
        for base in bases.values():  # warm servers: the first run filled the caches
            asyncio.run(visit(base))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            try:
                for base in bases.values():  # one untimed visit each: browser caches
                    _visit(browser, base)
                for _ in range(repeats):
                    for name, base in bases.items():
                        runs[name].append(_visit(browser, base))
            finally:
                browser.close()
    finally:
        for p in procs.values():
            vis.stop(p)
    out: dict[str, object] = {"repeats": repeats, "load_avg": os.getloadavg()}
    for name, rows in runs.items():
        out[name] = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    out["ratio"] = {k: out["app"][k] / out["hello"][k]  # type: ignore[index]
                    for k in ("first_kpi_s", "filter_change_s")}
    return out
