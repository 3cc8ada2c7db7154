"""A protocol-level Streamlit visitor: what a browser tab sends and waits for, without the browser.

One :func:`visit` does what a delegate's phone does after scanning the QR code: ``GET /`` (the
page, and HAProxy's sticky cookie when there is one), opens the websocket ``/_stcore/stream``
with the cookie, sends the first ``rerun_script`` BackMsg (the URL's query string) and reads
ForwardMsgs until ``script_finished``; then it changes the first select box of the sidebar (the
year, in the dashboard and in ``bench/apps/hello_select.py``) to another option, as the browser
does (a ``rerun_script`` with that widget's new ``string_value`` and the current query string),
and reads until that run has finished. Messages are Streamlit's own protobufs
(``streamlit.proto``). A dropped connection (a replica restarted) is retried once on a new
connection with the same cookie jar and the query string the app last wrote: the view lives in
the URL, so a new session shows the same view (``reconnects`` counts it).
"""

from __future__ import annotations

import asyncio
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

SIDEBAR = 1  # delta_path[0] of the sidebar container


@dataclass
class Session:
    """What the client learned from the server during one visit."""

    query: str = ""
    page_hash: str = ""
    select_id: str = ""
    options: list[str] = field(default_factory=list)
    default: int = 0
    deltas: int = 0
    bytes_in: int = 0
    exceptions: list[str] = field(default_factory=list)


@dataclass
class Result:
    """Timings of one visit (seconds from its start; None when a step did not complete)."""

    first_run_s: float | None = None
    rerun_s: float | None = None
    deltas_first: int = 0
    bytes_first: int = 0
    bytes_rerun: int = 0
    reconnects: int = 0
    error: str | None = None
    final_query: str = ""


def _get_cookie(http_url: str, cookie: str, timeout: float) -> str:
    """``GET /`` like a browser opening the link; returns the Cookie header to send back."""
    req = urllib.request.Request(http_url + "/", headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        resp.read()
        jar = dict(c.split(";", 1)[0].split("=", 1) for c in resp.headers.get_all("Set-Cookie") or []
                   if "=" in c)
    old = dict(c.split("=", 1) for c in cookie.split("; ") if "=" in c)
    return "; ".join(f"{k}={v}" for k, v in {**old, **jar}.items())


def _rerun(sess: Session, widget: tuple[str, str] | None = None) -> bytes:
    msg = BackMsg()
    rs = msg.rerun_script
    rs.query_string = sess.query
    rs.page_script_hash = sess.page_hash
    if widget is not None:
        state = WidgetState(id=widget[0], string_value=widget[1])
        rs.widget_states.widgets.append(state)
    return msg.SerializeToString()


async def _until_finished(ws, sess: Session, deadline: float) -> None:  # noqa: ANN001
    """Read ForwardMsgs, noting what the client needs, until the run has finished."""
    while True:
        raw = await asyncio.wait_for(ws.recv(), max(0.1, deadline - time.monotonic()))
        sess.bytes_in += len(raw)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            sess.page_hash = msg.new_session.page_script_hash or sess.page_hash
        elif kind == "page_info_changed":
            sess.query = msg.page_info_changed.query_string
        elif kind == "delta":
            sess.deltas += 1
            el = msg.delta.new_element
            which = el.WhichOneof("type") if msg.delta.WhichOneof("type") == "new_element" else None
            if which == "exception":
                sess.exceptions.append(el.exception.message[:300])
            elif (which == "selectbox" and not sess.select_id
                  and list(msg.metadata.delta_path)[:1] == [SIDEBAR]):
                sess.select_id = el.selectbox.id
                sess.options = list(el.selectbox.options)
                sess.default = el.selectbox.default
                if el.selectbox.raw_value in sess.options:  # value set through session state
                    sess.default = sess.options.index(el.selectbox.raw_value)
        elif kind == "script_finished":
            if msg.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY,
                                       ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                return
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise RuntimeError("script compile error")


def other_option(sess: Session) -> str:
    """The option a visitor switches to: the one before the shown one (an earlier year)."""
    i = sess.default - 1 if sess.default > 0 else 1
    return sess.options[i % len(sess.options)]


async def _run(ws_url: str, cookie: str, sess: Session, res: Result, t0: float, change: bool,
               deadline: float) -> None:
    headers = {"Cookie": cookie} if cookie else {}
    async with connect(ws_url, subprotocols=["streamlit"], additional_headers=headers,
                       max_size=None, open_timeout=max(1.0, deadline - time.monotonic()),
                       ping_interval=None) as ws:
        if res.first_run_s is None:
            sess.select_id, sess.bytes_in, sess.deltas = "", 0, 0
            await ws.send(_rerun(sess))
            await _until_finished(ws, sess, deadline)
            res.first_run_s = time.monotonic() - t0
            res.deltas_first, res.bytes_first = sess.deltas, sess.bytes_in
        if not change:
            return
        if res.rerun_s is None:
            if res.reconnects:  # a new session must learn the widget id again
                sess.select_id = ""
                await ws.send(_rerun(sess))
                await _until_finished(ws, sess, deadline)
            if not sess.select_id or len(sess.options) < 2:
                raise RuntimeError("no select box in the sidebar")
            start, before = time.monotonic(), sess.bytes_in
            await ws.send(_rerun(sess, (sess.select_id, other_option(sess))))
            await _until_finished(ws, sess, deadline)
            res.rerun_s = time.monotonic() - start
            res.bytes_rerun = sess.bytes_in - before


async def visit(base: str, query: str = "", change: bool = True, timeout: float = 120.0,
                retries: int = 1) -> Result:
    """One visitor on ``base`` (``http://host:port``): open, first run, one filter change."""
    t0 = time.monotonic()
    deadline = t0 + timeout
    sess, res, cookie = Session(query=query), Result(), ""
    ws_url = "ws" + base[4:] + "/_stcore/stream"
    for attempt in range(retries + 1):
        try:
            cookie = await asyncio.to_thread(_get_cookie, base, cookie, 30.0)
            await _run(ws_url, cookie, sess, res, t0, change, deadline)
            res.error = None
            break
        except (ConnectionClosed, OSError) as err:
            res.error = f"{type(err).__name__}: {err}"[:300]
            if attempt < retries:
                res.reconnects += 1
                await asyncio.sleep(0.5)
        except (TimeoutError, RuntimeError) as err:
            res.error = f"{type(err).__name__}: {err}"[:300]
            break
    if sess.exceptions and res.error is None:
        res.error = "exception on the page: " + sess.exceptions[0]
    res.final_query = sess.query
    return res


def query_of(res: Result) -> dict[str, str]:
    """The view a visit ended on (the query string the app wrote), as a dict."""
    return dict(urllib.parse.parse_qsl(res.final_query))
