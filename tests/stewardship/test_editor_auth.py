"""nq05_metrics.stewardship.auth: PBKDF2 editor passwords, credential modes, the OIDC allow-list."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from nq05_metrics import stewardship as sw

FAST = 1_000  # PBKDF2 iterations for tests (the default is 600 000)


# ----------------------------------------------------------------------------- credentials
def test_password_round_trip_and_format() -> None:
    stored = sw.hash_password("mật khẩu đủ dài", iterations=FAST)
    scheme, iterations, salt, digest = stored.split("$")
    assert scheme == "pbkdf2_sha256" and iterations == str(FAST)
    assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(digest)) == 32
    secrets = {"editor": {"password_hash": stored}}
    assert sw.check_password("mật khẩu đủ dài", secrets)
    assert sw.check_password(unicodedata.normalize("NFD", "mật khẩu đủ dài"), secrets)
    assert not sw.check_password("mật khẩu đủ dài ", secrets)
    assert not sw.check_password("", secrets)
    assert sw.hash_password("x", iterations=FAST) != sw.hash_password("x", iterations=FAST)
    with pytest.raises(ValueError):
        sw.hash_password("")


@pytest.mark.parametrize(
    "secrets",
    [{}, {"editor": {}}, {"editor": "x"}, {"editor": {"password_hash": "plain"}},
     {"editor": {"password_hash": "pbkdf2_sha256$abc$00$00"}},
     {"editor": {"password_hash": "pbkdf2_sha256$1000$zz$00"}},
     {"editor": {"password_hash": "pbkdf2_sha256$0$0011$0011"}},
     {"editor": {"password_hash": "pbkdf2_sha256$99999999999$0011$0011"}},
     {"editor": {"password_hash": "pbkdf2_sha256$1000$$"}}, None],
    ids=["none", "empty", "not-table", "plain", "bad-iter", "bad-hex", "zero-iter", "huge-iter",
         "empty-parts", "no-mapping"],
)
def test_check_password_is_false_on_missing_or_broken_config(secrets: object) -> None:
    assert sw.check_password("anything", secrets) is False


def test_credential_mode_and_editor_list() -> None:
    stored = sw.hash_password("pw", iterations=FAST)
    assert sw.credential_mode({}) is None
    assert sw.credential_mode({"editor": {"password_hash": stored}}) == "password"
    auth = {"auth": {"client_id": "x", "redirect_uri": "u"}, "editor": {"password_hash": stored}}
    assert sw.credential_mode(auth) == "oidc" and sw.oidc_provider(auth) is None
    assert sw.oidc_provider({"auth": {"redirect_uri": "u", "google": {"client_id": "x"}}}) == "google"
    allowed = {"editor": {"allowed_emails": ["A@laichau.gov.vn"], "allowed_domains": ["snn.vn"]}}
    assert sw.is_allowed_editor("a@laichau.gov.vn", allowed)
    assert sw.is_allowed_editor("b@snn.vn", allowed)
    assert not sw.is_allowed_editor("b@laichau.gov.vn", allowed)
    assert not sw.is_allowed_editor("a@laichau.gov.vn", {})
    assert not sw.is_allowed_editor(None, allowed)


def test_hash_password_script_prints_a_usable_line(tmp_path: Path) -> None:
    import subprocess
    import sys
    import tomllib

    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, str(root / "scripts" / "hash_password.py")],
                         input="mật khẩu biên tập\n", capture_output=True, text=True, check=True,
                         timeout=60)
    secrets = tomllib.loads(out.stdout)
    assert sw.check_password("mật khẩu biên tập", secrets)
    short = subprocess.run([sys.executable, str(root / "scripts" / "hash_password.py")],
                           input="short\n", capture_output=True, text=True, timeout=60)
    assert short.returncode == 1 and "password_hash" not in short.stdout
