"""Several dashboard processes behind HAProxy (deploy/): sticky sessions, websocket through the
proxy, a steward's upload while visitors browse (one shared data folder, the lock and atomic
replace across processes), a replica killed mid-visit, and SIGTERM stopping everything (in the
fixture's teardown)."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import signal
import time
import urllib.request

import pytest
from deploy_helpers import EDITOR_PASSWORD, Deployment, run
from streamlit.proto.Common_pb2 import FileUploaderState
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.stclient import Client, query_of, visit
from nq05_metrics.i18n import t


def _served_by(base: str, cookie: str = "") -> tuple[str, str]:
    """(replica name from the proxy's header, the sticky cookie) of one ``GET /``."""
    req = urllib.request.Request(base + "/", headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(req, timeout=30) as resp:
        resp.read()
        got = [c.split(";", 1)[0] for c in resp.headers.get_all("Set-Cookie") or []
               if c.startswith("NQ05_REPLICA=")]
        return resp.headers["X-NQ05-Replica"], (got[0] if got else cookie)


def _clients_on_each_replica(dep: Deployment) -> dict[str, str]:
    """A sticky cookie for every replica (new visitors are spread over both)."""
    cookies: dict[str, str] = {}
    for _ in range(12):
        name, cookie = _served_by(dep.base)
        cookies.setdefault(name, cookie)
        if len(cookies) == 2:
            break
    return cookies


def test_a_visit_through_the_proxy_sticks_to_one_replica(deployment: Deployment) -> None:
    cookies = _clients_on_each_replica(deployment)
    assert set(cookies) == {"r1", "r2"}, "new visitors should be spread over both replicas"
    for name, cookie in cookies.items():
        assert {_served_by(deployment.base, cookie)[0] for _ in range(5)} == {name}
    # the whole visit (page, health, websocket, two runs) on one replica, view in the URL
    res = run(visit(deployment.base, query="lang=en"))
    assert res.error is None, res.error
    assert res.first_run_s is not None and res.rerun_s is not None
    assert len(set(res.replicas)) == 1 and res.replicas[0] in {"r1", "r2"}
    view = query_of(res)
    assert view["lang"] == "en" and view["year"].isdigit()


def _overview_texts(base: str, cookie: str) -> tuple[str, list[str]]:
    """(replica, texts of the overview) for a new session with this sticky cookie."""
    async def go() -> tuple[str, list[str]]:
        c = Client(base, cookie=cookie)
        await c.open()
        await c.run()
        await c.close()
        assert not c.sess.exceptions, c.sess.exceptions
        return c.replica, list(c.sess.texts)
    return run(go())


def _edited_observations(raw: str) -> str:
    """observations.csv with the province's 2025 macadamia area raised past its target."""
    lines = raw.split("\n")
    hits = [i for i, line in enumerate(lines) if line.startswith("macadamia_area,12,2025,")]
    assert hits, "the shipped data should have the province's 2025 macadamia area"
    cells = lines[hits[0]].split(",")
    cells[3] = "12500"
    lines[hits[0]] = ",".join(cells)
    return "\n".join(lines)


def _steward_labels() -> dict[str, str]:
    """The Vietnamese labels of the steward's widgets (the catalogue's ``stewardship.ui``)."""
    return {k: t("vi", f"stewardship.ui.{k}") for k in ("name", "password", "sign_in", "upload",
                                                         "apply")}


async def _steward_signs_in(base: str, cookie: str) -> Client:
    c = Client(base, cookie=cookie, page_name="du-lieu")
    await c.open()
    await c.run()
    vi = _steward_labels()
    await c.run([WidgetState(id=c.widget_id(vi["name"]), string_value="Thư ký hội nghị"),
                 WidgetState(id=c.widget_id(vi["password"]), string_value=EDITOR_PASSWORD),
                 WidgetState(id=c.widget_id(vi["sign_in"]), trigger_value=True)])
    assert vi["upload"] in c.sess.widgets, "the editor should see the uploader once signed in"
    return c


def test_steward_upload_through_the_proxy_while_visitors_browse(deployment: Deployment) -> None:
    dep = deployment
    cookies = _clients_on_each_replica(dep)
    before = {name: _overview_texts(dep.base, cookie) for name, cookie in cookies.items()}
    assert before["r1"][1] == before["r2"][1]
    target = dep.data_dir / "observations.csv"
    old = target.read_bytes()
    new = _edited_observations(old.decode("utf-8")).encode("utf-8")
    vi = _steward_labels()

    async def scenario() -> list:
        steward = await _steward_signs_in(dep.base, cookies["r1"])
        assert steward.replica == "r1"
        info = await steward.upload("observations.csv", new)
        uploader = WidgetState(id=steward.widget_id(vi["upload"]),
                               file_uploader_state_value=FileUploaderState(uploaded_file_info=[info]))
        await steward.run([uploader])
        assert vi["apply"] in steward.sess.widgets, steward.sess.texts[-5:]
        # the figure jumps: the check warns, and the steward ticks that the warning was read
        tick = [WidgetState(id=p.id, bool_value=True)  # type: ignore[attr-defined]
                for kind, p in steward.sess.widgets.values() if kind == "checkbox"]
        await steward.run([uploader, *tick])
        assert not steward.sess.widgets[vi["apply"]][1].disabled  # type: ignore[attr-defined]
        lock = dep.data_dir / ".history" / ".lock"
        lock.parent.mkdir(exist_ok=True)
        visitors = [asyncio.create_task(visit(dep.base)) for _ in range(6)]
        with lock.open("a") as handle:  # another writer (this process) holds the lock
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            apply = asyncio.create_task(steward.run(
                [uploader, *tick,
                 WidgetState(id=steward.widget_id(vi["apply"]), trigger_value=True)]))
            await asyncio.sleep(1.5)
            assert not apply.done(), "the replica should wait for the lock"
            assert target.read_bytes() == old, "nothing may be written while another holds the lock"
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        await asyncio.wait_for(apply, 60)
        assert any("+0 / ~1 / −0" in t for t in steward.sess.texts), steward.sess.texts[-5:]
        await steward.close()
        return list(await asyncio.gather(*visitors))

    visits = run(scenario())
    assert [v.error for v in visits] == [None] * len(visits)
    assert target.read_bytes().replace(b"\r\n", b"\n").rstrip() == new.rstrip()
    log = [json.loads(x) for x in (dep.data_dir / ".history" / "log.jsonl").read_text().splitlines()]
    assert log[-1]["who"] == "Thư ký hội nghị" and log[-1]["file"] == "observations.csv"
    assert not [p for p in dep.data_dir.iterdir() if p.name.startswith(".") and p.is_file()]
    after = {name: _overview_texts(dep.base, cookie) for name, cookie in cookies.items()}
    assert {a[0] for a in after.values()} == {"r1", "r2"}
    assert after["r1"][1] == after["r2"][1], "both replicas read the one shared folder"
    assert after["r1"][1] != before["r1"][1], "the new figure shows on the overview"


def test_a_replica_killed_mid_visit_loses_no_view(deployment: Deployment) -> None:
    dep = deployment
    killed: dict[str, int] = {}

    async def kill_own_replica(client: Client) -> None:
        pid = dep.replicas()[client.replica]["pid"]
        killed[client.replica] = pid
        os.kill(pid, signal.SIGKILL)
        await asyncio.sleep(0.3)

    view = "year=2023&unit=105&lang=en"
    res = run(visit(dep.base, query=view, between=kill_own_replica, retries=2))
    assert res.error is None, res.error
    assert res.reconnects >= 1 and len(set(res.replicas)) == 2, res.replicas
    ended = query_of(res)
    assert ended["unit"] == "105" and ended["lang"] == "en"  # the view survived
    assert ended["year"] == "2022"  # …and the year change was made on the other replica
    name, pid = next(iter(killed.items()))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and dep.replicas()[name]["pid"] == pid:
        time.sleep(0.2)
    assert dep.replicas()[name]["pid"] != pid, "the supervisor should start the replica again"


@pytest.mark.parametrize("replicas", ["0", "9"])
def test_run_local_refuses_a_bad_replica_count(replicas: str) -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(["bash", str(root / "deploy" / "run_local.sh"), "--replicas", replicas],
                         cwd=root, env={**os.environ, "PYTHON": sys.executable},
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 2 and "--replicas must be between 1 and 8" in out.stderr
