"""scripts/warm_up.py: which server it warms (the streamlit arguments run.sh passes on)."""

from __future__ import annotations

import pytest

from scripts.warm_up import base_url, main


@pytest.mark.parametrize(("argv", "url"), [
    ([], "http://127.0.0.1:8501"),
    (["--server.port", "8601"], "http://127.0.0.1:8601"),
    (["--server.headless", "true", "--server.port=9000"], "http://127.0.0.1:9000"),
    (["--server.port", "8601", "--server.baseUrlPath", "/nq05/"], "http://127.0.0.1:8601/nq05"),
])
def test_base_url_follows_the_streamlit_arguments(argv: list[str], url: str) -> None:
    assert base_url(argv) == url


def test_port_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STREAMLIT_SERVER_PORT", "8777")
    assert base_url([]) == "http://127.0.0.1:8777"


def test_no_server_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    import scripts.warm_up as warm

    def refuse(url: str, timeout: float = 120.0) -> float:
        raise TimeoutError(f"{url} did not start")

    monkeypatch.setattr(warm, "warm_up", refuse)
    assert main(["--server.port", "1"]) == 0
    assert "skipped" in capsys.readouterr().err


def test_waiting_stops_when_the_server_died_or_never_answers() -> None:
    from scripts.warm_up import wait_until_up

    with pytest.raises(RuntimeError):
        wait_until_up("http://127.0.0.1:1", timeout=5, alive=lambda: False)
    with pytest.raises(TimeoutError):
        wait_until_up("http://127.0.0.1:1", timeout=0.3, poll=0.05)
