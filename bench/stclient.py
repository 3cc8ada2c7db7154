"""A protocol-level Streamlit visitor: what a browser tab sends and waits for, without the browser.

One :func:`visit` does what a delegate's phone does after scanning the QR code: ``GET /`` and
``GET /_stcore/health`` (the page, Streamlit's XSRF cookie and HAProxy's sticky cookie when
there is one), opens the websocket ``/_stcore/stream`` with those cookies, sends the first
``rerun_script`` BackMsg (the URL's query string) and reads ForwardMsgs until
``script_finished``; then it changes the first select box of the sidebar (the year, in the
dashboard and in ``bench/apps/hello_select.py``) to the option before the shown one, as the
browser does (a ``rerun_script`` with that widget's new ``string_value`` and the current query
string), and reads until that run has finished. Messages are Streamlit's own protobufs
(``streamlit.proto``). A dropped connection (a replica stopped) is retried on a new connection
with the same cookies and the query string the app last wrote: the view lives in the URL, so the
new session shows the same view (``reconnects`` counts it).

:class:`Client` is the tab itself (used by the visits and by the deployment tests, which also
sign in, upload a file and press buttons through it).
"""

from __future__ import annotations

import asyncio
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

SIDEBAR = 1  # delta_path[0] of the sidebar container
XSRF_COOKIE = "_streamlit_xsrf"
DONE = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)


@dataclass
class Session:
    """What the client learned from the server: URL, page, session id, the widgets of the last
    run (by label: ``(element type, element proto)``), the year box, bytes and deltas read."""

    query: str = ""
    page_name: str = ""
    page_hash: str = ""
    session_id: str = ""
    select_id: str = ""
    options: list[str] = field(default_factory=list)
    default: int = 0
    widgets: dict[str, tuple[str, object]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
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
    replicas: list[str] = field(default_factory=list)
    restored_s: float | None = None  # a dropped tab back on its view, after a dwell


def _cookies(header: str) -> dict[str, str]:
    return dict(c.split("=", 1) for c in header.split("; ") if "=" in c)


def _text_of(el: object, kind: str) -> str | None:
    """The visible text of a markdown/heading/alert/metric element (for the tests' checks)."""
    part = getattr(el, kind, None)
    for attr in ("body", "label"):
        if part is not None and getattr(part, attr, ""):
            return str(getattr(part, attr))
    return None


class Client:
    """One browser tab on ``base`` (``http://host:port``), with its cookie jar."""

    def __init__(self, base: str, cookie: str = "", query: str = "", page_name: str = "") -> None:
        self.base, self.cookie = base.rstrip("/"), cookie
        self.sess = Session(query=query, page_name=page_name)
        self.ws = None
        self.replica = ""

    def _get(self, path: str, timeout: float) -> None:
        req = urllib.request.Request(self.base + path,
                                     headers={"Cookie": self.cookie} if self.cookie else {})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
            jar = dict(c.split(";", 1)[0].split("=", 1)
                       for c in resp.headers.get_all("Set-Cookie") or [] if "=" in c)
        self.cookie = "; ".join(f"{k}={v}" for k, v in {**_cookies(self.cookie), **jar}.items())

    async def open(self, timeout: float = 30.0) -> None:
        """``GET /``, ``GET /_stcore/health`` (cookies), then the websocket."""
        path = "/" + self.sess.page_name if self.sess.page_name else "/"
        await asyncio.to_thread(self._get, path, timeout)
        await asyncio.to_thread(self._get, "/_stcore/health", timeout)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.ws = await connect("ws" + self.base[4:] + "/_stcore/stream",
                                subprotocols=["streamlit"], additional_headers=headers,
                                max_size=None, open_timeout=timeout, ping_interval=None)
        self.replica = self.ws.response.headers.get("X-NQ05-Replica", "")

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def _read(self, deadline: float, until: Callable[[ForwardMsg], bool]) -> ForwardMsg:
        """Read ForwardMsgs, noting what the client needs, until ``until(msg)``."""
        sess = self.sess
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), max(0.1, deadline - time.monotonic()))
            sess.bytes_in += len(raw)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                sess.page_hash = msg.new_session.page_script_hash or sess.page_hash
                sess.session_id = msg.new_session.initialize.session_id or sess.session_id
            elif kind == "navigation":  # st.navigation: the page this run showed
                sess.page_hash = msg.navigation.page_script_hash or sess.page_hash
            elif kind == "page_info_changed":
                sess.query = msg.page_info_changed.query_string
            elif kind == "delta":
                self._note_delta(msg)
            elif kind == "script_finished" and msg.script_finished == \
                    ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise RuntimeError("script compile error")
            if until(msg):
                return msg

    def _note_delta(self, msg: ForwardMsg) -> None:
        sess = self.sess
        sess.deltas += 1
        if msg.delta.WhichOneof("type") != "new_element":
            return
        el = msg.delta.new_element
        which = el.WhichOneof("type")
        proto = getattr(el, which) if which else None
        if which == "exception":
            sess.exceptions.append(el.exception.message[:300])
        text = _text_of(el, which) if which else None
        if text:
            sess.texts.append(text)
        label = getattr(proto, "label", None) if proto is not None else None
        if label and getattr(proto, "id", ""):
            sess.widgets[label] = (which, proto)
        if (which == "selectbox" and not sess.select_id
                and list(msg.metadata.delta_path)[:1] == [SIDEBAR]):
            sess.select_id, sess.options = proto.id, list(proto.options)
            sess.default = proto.default
            if proto.raw_value in sess.options:  # value set through session state
                sess.default = sess.options.index(proto.raw_value)

    async def run(self, widgets: Iterable[WidgetState] = (), timeout: float = 60.0) -> float:
        """One rerun with these widget states; returns its time until ``script_finished``."""
        sess = self.sess
        sess.select_id, sess.widgets, sess.texts = "", {}, []
        msg = BackMsg()
        rs = msg.rerun_script
        rs.query_string, rs.page_script_hash, rs.page_name = (
            sess.query, sess.page_hash, "" if sess.page_hash else sess.page_name)
        rs.widget_states.widgets.extend(widgets)
        start = time.monotonic()
        await self.ws.send(msg.SerializeToString())
        await self._read(start + timeout, lambda m: m.WhichOneof("type") == "script_finished"
                         and m.script_finished in DONE)
        return time.monotonic() - start

    def widget_id(self, label: str) -> str:
        """The id of the widget labelled ``label`` in the last run (KeyError if absent)."""
        return self.sess.widgets[label][1].id  # type: ignore[attr-defined]

    def widget_of(self, kind: str) -> object:
        """The first widget proto of element type ``kind`` in the last run."""
        return next(p for k, p in self.sess.widgets.values() if k == kind)

    async def upload(self, name: str, data: bytes, timeout: float = 30.0) -> UploadedFileInfo:
        """Upload ``data`` as the browser does (ask for a URL, PUT multipart with the XSRF
        header); returns the uploader's widget value for this file."""
        req = BackMsg()
        rid = uuid.uuid4().hex
        req.file_urls_request.request_id = rid
        req.file_urls_request.file_names.append(name)
        req.file_urls_request.session_id = self.sess.session_id
        await self.ws.send(req.SerializeToString())
        msg = await self._read(time.monotonic() + timeout, lambda m: m.WhichOneof("type") ==
                               "file_urls_response" and m.file_urls_response.response_id == rid)
        if msg.file_urls_response.error_msg:
            raise RuntimeError(msg.file_urls_response.error_msg)
        urls = msg.file_urls_response.file_urls[0]
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
        url = urls.upload_url if urls.upload_url.startswith("http") else self.base + urls.upload_url
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}",
                   "Cookie": self.cookie,
                   "X-Xsrftoken": _cookies(self.cookie).get(XSRF_COOKIE, "")}
        put = urllib.request.Request(url, data=body, method="PUT", headers=headers)
        await asyncio.to_thread(lambda: urllib.request.urlopen(put, timeout=timeout).read())
        info = UploadedFileInfo(name=name, size=len(data), file_id=urls.file_id)
        info.file_urls.CopyFrom(urls)
        return info


def other_option(sess: Session) -> str:
    """The option a visitor switches to: the one before the shown one (an earlier year)."""
    i = sess.default - 1 if sess.default > 0 else 1
    return sess.options[i % len(sess.options)]


async def _dwell(client: Client, res: Result, seconds: float, timeout: float) -> None:
    """Keep the tab open ``seconds`` after the visit, as a delegate does. If the server drops it
    (its replica stopped), reconnect as the browser does — new connection, same cookies, the URL
    the app last wrote — and note how long until the view is back (``restored_s``)."""
    try:
        await asyncio.wait_for(client.ws.wait_closed(), seconds)
    except TimeoutError:
        return  # still open: nothing happened
    start, view = time.monotonic(), client.sess.query
    for _ in range(3):
        try:
            await client.open(timeout)
            res.replicas.append(client.replica)
            await client.run(timeout=timeout)
            break
        except (ConnectionClosed, OSError):
            await asyncio.sleep(0.5)
    else:
        raise RuntimeError("the tab did not come back after its replica stopped")
    res.reconnects += 1
    if dict(urllib.parse.parse_qsl(client.sess.query)) != dict(urllib.parse.parse_qsl(view)):
        raise RuntimeError(f"view lost: {view!r} came back as {client.sess.query!r}")
    res.restored_s = time.monotonic() - start


async def visit(base: str, query: str = "", change: bool = True, timeout: float = 120.0,
                retries: int = 1,
                between: Callable[[Client], Awaitable[None]] | None = None,
                dwell: float = 0.0) -> Result:
    """One visitor on ``base``: open, first run, one filter change (``between`` is awaited after
    the first run, before the change — the tests stop a replica there), then the tab stays open
    ``dwell`` seconds (:func:`_dwell`)."""
    t0 = time.monotonic()
    res, client = Result(), Client(base, query=query)
    for attempt in range(retries + 1):
        try:
            await client.open(max(1.0, t0 + timeout - time.monotonic()))
            res.replicas.append(client.replica)
            if res.first_run_s is None or res.reconnects:
                client.sess.bytes_in = client.sess.deltas = 0
                await client.run(timeout=max(1.0, t0 + timeout - time.monotonic()))
                if res.first_run_s is None:
                    res.first_run_s = time.monotonic() - t0
                    res.deltas_first, res.bytes_first = client.sess.deltas, client.sess.bytes_in
                    if between is not None:
                        await between(client)
            if change:
                if not client.sess.select_id or len(client.sess.options) < 2:
                    raise RuntimeError("no select box in the sidebar")
                before = client.sess.bytes_in
                state = WidgetState(id=client.sess.select_id,
                                    string_value=other_option(client.sess))
                res.rerun_s = await client.run([state],
                                               timeout=max(1.0, t0 + timeout - time.monotonic()))
                res.bytes_rerun = client.sess.bytes_in - before
            if dwell:
                await _dwell(client, res, dwell, timeout)
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
        finally:
            try:
                await client.close()
            except (ConnectionClosed, OSError):
                client.ws = None
    if client.sess.exceptions and res.error is None:
        res.error = "exception on the page: " + client.sess.exceptions[0]
    res.final_query = client.sess.query
    return res


def query_of(res: Result) -> dict[str, str]:
    """The view a visit ended on (the query string the app wrote), as a dict."""
    return dict(urllib.parse.parse_qsl(res.final_query))
