"""Warm a freshly started dashboard so that its first visitor does not pay for the start-up.

``scripts/run.sh`` starts Streamlit with ``--server.scriptHealthCheckEnabled true`` and runs this
script beside it: it waits for ``/_stcore/health``, then asks ``/_stcore/script-health-check``,
which makes Streamlit run ``app.py`` once in a throw-away session. That run imports pandas and
the package, loads and validates the data, fills the caches of the default view and registers
the pages of ``st.navigation``. Measured on the 2-core machine of bench/README.md: the first
visit after a restart shows its first KPI in 2.4 s instead of 3.8 s, and a first visit opened on
a sub-page link (``/xu-huong``) no longer shows Streamlit's "Page not found" dialog over the page
(streamlit/streamlit#9992: pages are only known after a first run).

Usage: ``python scripts/warm_up.py [the same arguments as streamlit run]`` — the port and base
path are read from ``--server.port`` / ``--server.baseUrlPath`` (or ``STREAMLIT_SERVER_PORT`` /
``STREAMLIT_SERVER_BASE_URL_PATH``); default 8501. Never fails the caller: any problem is
printed and the app simply starts cold.
"""

from __future__ import annotations

import os
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nq05_metrics.i18n import slashed  # noqa: E402


def option(argv: list[str], name: str, env: str, default: str) -> str:
    """Value of ``--name X`` or ``--name=X`` in ``argv``, else ``$env``, else ``default``."""
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return os.environ.get(env, default)


def base_url(argv: list[str]) -> str:
    """``http://127.0.0.1:PORT[/base]`` of the server started with ``argv``."""
    port = option(argv, "--server.port", "STREAMLIT_SERVER_PORT", "8501")
    base = option(argv, "--server.baseUrlPath", "STREAMLIT_SERVER_BASE_URL_PATH", "").strip("/")
    return f"http://127.0.0.1:{port}" + (f"/{base}" if base else "")


def wait_until_up(url: str, timeout: float = 120.0, poll: float = 0.2,
                  alive: Callable[[], bool] | None = None) -> None:
    """Return as soon as ``url/_stcore/health`` answers 200, polling every ``poll`` s. Raises
    ``TimeoutError`` after ``timeout`` s, ``RuntimeError`` when ``alive()`` says the server
    process has exited (the caller started it)."""
    deadline = time.monotonic() + timeout
    while True:
        if alive is not None and not alive():
            raise RuntimeError(f"the server for {url} exited before it answered")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not start within {timeout:.0f} s") from None
            time.sleep(poll)


def warm_up(url: str, timeout: float = 120.0) -> float:
    """Wait for the server at ``url`` and run the app once through its script health check;
    returns the seconds the run took. Raises ``OSError``/``TimeoutError`` when it cannot."""
    wait_until_up(url, timeout)
    start = time.monotonic()
    with urllib.request.urlopen(f"{url}/_stcore/script-health-check", timeout=timeout) as resp:
        resp.read()
    return time.monotonic() - start


def main(argv: list[str]) -> int:
    url = base_url(argv)
    try:
        seconds = warm_up(url)
    except (OSError, TimeoutError) as err:
        print(f"[warm-up] {slashed('cli.warm_up_skipped')}: {err}", file=sys.stderr)
        return 0
    except KeyboardInterrupt:  # Ctrl-C stops the server and this helper together
        return 0
    print(f"[warm-up] {slashed('cli.warm_up_done', seconds=f'{seconds:.1f}')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
