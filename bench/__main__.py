"""``python -m bench`` (``make bench``): every performance figure, as ratios where a comparison
exists; writes ``bench/results.json``. See bench/README.md.

Options: ``--quick`` (fewer repeats, engine up to 100k rows), ``--only engine,app,browser,map,
export,visits,rush`` (comma list), ``--no-browser``. ``visits`` (what one visit costs the
server, protocol-level and in the browser, against a hello app) and ``rush`` (the meeting rush
behind HAProxy) run only when named in ``--only``: together they take ≈ 6 minutes.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results.json"
BUDGETS = {"page_rerun_ms": 300, "district_layer_kb": 100, "first_kpi_s": 2.5,
           "engine_1m_s": 1.0, "engine_1m_mb": 1024, "deck_s": 10}
PARTS = ("engine", "app", "map", "browser", "export", "visits", "rush")
ON_REQUEST = {"visits", "rush"}  # not part of a plain ``python -m bench``


def machine() -> dict[str, object]:
    """nproc, CPU model, RAM, Python, load average at the start."""
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem / 2**20, 1),
            "python": platform.python_version(), "load_avg_start": os.getloadavg()}


def engine(quick: bool) -> dict[str, object]:
    """Metrics engine at 10k/100k/1M rows and loader.read_table, one subprocess per size."""
    from bench import engine as eng

    sizes = [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000]
    metrics = [eng.measure("metrics", n, timeout=600, repeats=3 if quick else 5) for n in sizes]
    for small, big in zip(metrics, metrics[1:], strict=False):
        if "status_table_s" in small and "status_table_s" in big:
            big["growth_per_10x_rows"] = big["status_table_s"] / small["status_table_s"]
            big["growth_per_10x_rows_cpu"] = big["status_table_cpu_s"] / small["status_table_cpu_s"]
    loader = [eng.measure("loader", n, timeout=300) for n in sizes]
    for small, big in zip(loader, loader[1:], strict=False):
        if "read_table_s" in small and "read_table_s" in big:
            big["growth_per_10x_rows"] = big["read_table_s"] / small["read_table_s"]
    return {"metrics": metrics, "loader": loader}


def app(quick: bool) -> dict[str, object]:
    from bench import app_bench

    return app_bench.measure(3 if quick else 7)


def map_bytes() -> dict[str, object]:
    """Bytes of the deck JSON the map page sends (AppTest), per layer (compact JSON of the
    layer as serialised) and in total (as sent: pydeck's indented JSON)."""
    code = (
        "import json,sys;from streamlit.testing.v1 import AppTest\n"
        f"at=AppTest.from_file({str(ROOT / 'app.py')!r},default_timeout=120);at.run()\n"
        "at.switch_page('pages/map.py');at.run()\n"
        "js=at.get('deck_gl_json_chart')[0].proto.json;d=json.loads(js)\n"
        "size=lambda o:len(json.dumps(o,ensure_ascii=False,separators=(',',':')).encode())\n"
        "print(json.dumps({'deck_json_bytes':len(js.encode()),'deck_compact_bytes':size(d),"
        "'layers':{l.get('id'):{'type':l.get('@@type'),'bytes':size(l),'data_bytes':"
        "size(l.get('data'))} for l in d.get('layers',[])}}))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    if out.returncode:
        return {"error": out.stderr[-1500:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def export(quick: bool) -> dict[str, object]:
    """Full deck (PPTX, PDF) and Word appendix through the CLI, whole process, with an
    import-only baseline and the load average beside each run (:mod:`bench.exports`)."""
    from bench import exports

    return exports.run(1 if quick else 2)


def browser(quick: bool) -> dict[str, object]:
    from bench import browser as br

    result = br.measure(2 if quick else 3)
    result.pop("runs", None)
    return result


def visits(quick: bool, with_browser: bool) -> dict[str, object]:
    """Protocol-level visits (bench/visits.py) and, unless ``--no-browser``, the browser's
    first KPI and filter change (bench/browser.py ``visits``), each against hello."""
    from bench import browser as br
    from bench import visits as vis

    out: dict[str, object] = {"protocol": vis.measure(quick)}
    if with_browser:
        out["browser"] = br.visits(3 if quick else 7)
    return out


def rush(quick: bool) -> dict[str, object]:
    from bench import rush as rs

    return rs.measure(quick)


def _fmt(v: object, unit: str = "", nd: int = 2) -> str:
    return f"{v:.{nd}f}{unit}" if isinstance(v, (int, float)) else str(v)


def report(res: dict[str, object]) -> None:
    """Print the figures with their budgets and ratios."""
    print(f"machine: {res['machine']}")
    eng = res.get("engine")
    if eng:
        print("\nmetrics.status_table (province + every commune × all indicators)")
        for m in eng["metrics"]:
            if "status_table_s" not in m:
                print(f"  {m}")
                continue
            growth = m.get("growth_per_10x_rows")
            print(f"  {m['rows']:>9,} rows → {m['status_rows']:>7,} status rows: "
                  f"{_fmt(m['status_table_s'], ' s', 3)} (cpu {_fmt(m['status_table_cpu_s'], ' s', 3)},"
                  f" first call {_fmt(m['first_call_s'], ' s', 3)}), labels "
                  f"{_fmt(m['labels_s'], ' s', 3)}, maxrss {_fmt(m['maxrss_mb'], ' MB', 0)}, "
                  f"traced peak {_fmt(m['tracemalloc_peak_mb'], ' MB', 0)}"
                  + (f", ×{growth:.1f} per 10× rows" if growth else ""))
        print("loader.read_table('observations') (CSV bytes → validated typed frame)")
        for m in eng.get("loader", []):
            t = m.get("read_table_s")
            print(f"  {m['rows']:>9,} rows: "
                  + (f"{t:.2f} s (cpu {m['read_table_cpu_s']:.2f} s, ×"
                   f"{m.get('ratio_to_bare_cpu') or 0:.1f} a bare Arrow CSV parse), "
                   f"maxrss {m['maxrss_mb']:.0f} MB" if t else f"{m}")
                  + (f", ×{m['growth_per_10x_rows']:.1f} per 10× rows"
                     if m.get("growth_per_10x_rows") else ""))
    app_res = res.get("app")
    if app_res:
        print(f"\nwarm rerun (AppTest, median of {app_res['repeats']}); baseline "
              f"{app_res['baseline_ms']:.0f} ms (end {app_res['baseline_end_ms']:.0f} ms); "
              f"budget {BUDGETS['page_rerun_ms']} ms")
        for page, m in app_res["pages"].items():
            if "median_ms" in m:
                print(f"  {page:13s} {m['median_ms']:6.0f} ms  ×{m['ratio']:.1f} baseline")
            else:
                print(f"  {page:13s} {m}")
        cs = app_res.get("commune_scale") or {}
        if cs.get("pages"):
            print(f"  commune scale ({cs['rows']:,} observation rows; cold first run "
                  f"{cs['first_run_s']:.1f} s): " + ", ".join(
                      f"{p} {m['median_ms']:.0f} ms" for p, m in cs["pages"].items()))
        if app_res.get("fresh_session_first_run_ms") is not None:
            print(f"  a new visitor's first run (overview, warm server): "
                  f"{app_res['fresh_session_first_run_ms']:.0f} ms")
    mp = res.get("map")
    if mp and "layers" in mp:
        print(f"\nmap deck JSON: {mp['deck_json_bytes'] / 1024:.1f} KB as sent "
              f"({mp['deck_compact_bytes'] / 1024:.1f} KB compact); budget district layer "
              f"{BUDGETS['district_layer_kb']} KB")
        for lid, m in mp["layers"].items():
            print(f"  {lid:10s} {m['type']:17s} {m['bytes'] / 1024:6.1f} KB")
    br = res.get("browser")
    if br and "app" in br:
        a, h = br["app"], br["hello"]
        print(f"\ncold start (median of {br['repeats']}), budget first KPI ≤ {BUDGETS['first_kpi_s']} s")
        print(f"  page open → first KPI: app {_fmt(a['page_open_to_kpi_s'], ' s')}, hello "
              f"{_fmt(h['page_open_to_kpi_s'], ' s')}  ×{_fmt(br['ratio_page_open_to_kpi_s'], '', 1)}")
        print(f"  process start → KPI:   app {_fmt(a['process_start_to_kpi_s'], ' s')}, hello "
              f"{_fmt(h['process_start_to_kpi_s'], ' s')}  ×"
              f"{_fmt(br['ratio_process_start_to_kpi_s'], '', 1)}")
        w = br.get("app_warmed") or {}
        if w.get("page_open_to_kpi_s") is not None:
            print(f"  as scripts/run.sh starts it (app run once by warm_up.py, "
                  f"{_fmt(w.get('warm_up_s'), ' s')}): page open → KPI "
                  f"{_fmt(w['page_open_to_kpi_s'], ' s')}  ×"
                  f"{_fmt(br.get('ratio_warmed_page_open_to_kpi_s'), '', 1)} hello")
        if a.get("warm_page_open_to_kpi_s") is not None:
            print(f"  warm server, new browser context → KPI: {_fmt(a['warm_page_open_to_kpi_s'], ' s')}")
        print(f"  websocket bytes: first page {a['ws_bytes_first_page'] / 1024:.1f} KB (hello "
              f"{h['ws_bytes_first_page'] / 1024:.1f} KB), map page "
              f"{_fmt((a.get('ws_bytes_map_page') or 0) / 1024, ' KB', 1)}")
    vi = res.get("visits")
    if vi:
        from bench import visits as vis

        vis.report(vi.get("protocol", vi))
        bv = vi.get("browser") or {}
        if "ratio" in bv:
            print(f"  browser, warm server, new profile (median of {bv['repeats']}): first KPI "
                  f"app {bv['app']['first_kpi_s']:.2f} s, hello {bv['hello']['first_kpi_s']:.2f} s "
                  f"×{bv['ratio']['first_kpi_s']:.2f}; filter change app "
                  f"{bv['app']['filter_change_s']:.2f} s, hello "
                  f"{bv['hello']['filter_change_s']:.2f} s ×{bv['ratio']['filter_change_s']:.2f}")
    ru = res.get("rush")
    if ru:
        from bench import rush as rs

        rs.report(ru)
    ex = res.get("export")
    if ex:
        print(f"\nexport (CLI process, budget {BUDGETS['deck_s']} s, DOCX 3 s): " + ", ".join(
            f"{k} {_fmt(v.get('process_s'), ' s')} (×{v.get('ratio_to_baseline')} import-only, "
            f"load {v['runs'][0]['load_avg_1m'] if v.get('runs') else '?'})"
            for k, v in ex.items() if isinstance(v, dict) and "process_s" in v))


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    only = (set(argv[argv.index("--only") + 1].split(",")) if "--only" in argv
            else set(PARTS) - ON_REQUEST)
    if "--no-browser" in argv:
        only.discard("browser")  # the visits part then skips its browser half
    res: dict[str, object] = {"machine": machine(), "quick": quick, "budgets": BUDGETS}
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() and only != set(PARTS) else {}
    runners = {"engine": lambda: engine(quick), "app": lambda: app(quick), "map": map_bytes,
               "browser": lambda: browser(quick), "export": lambda: export(quick),
               "visits": lambda: visits(quick, "--no-browser" not in argv),
               "rush": lambda: rush(quick)}
    for part in PARTS:
        if part not in only:
            if part in previous:
                res[part] = previous[part]
            continue
        start = time.perf_counter()
        print(f"[bench] {part} …", file=sys.stderr, flush=True)
        try:
            res[part] = runners[part]()
        except Exception as err:  # noqa: BLE001 — one failing part must not hide the others
            res[part] = {"error": f"{type(err).__name__}: {err}"[:1500]}
        print(f"[bench] {part} done in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        RESULTS.write_text(json.dumps(res, indent=1, default=str) + "\n")  # kept if a later part fails
    res["machine"]["load_avg_end"] = os.getloadavg()  # type: ignore[index]
    RESULTS.write_text(json.dumps(res, indent=1, default=str) + "\n")
    report(res)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
