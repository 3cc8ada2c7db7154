"""Editor credentials: PBKDF2 password hashes and the OIDC allow-list, read from the secrets
(``st.secrets`` or any mapping with the same sections; see docs/EDITING.md)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Mapping
from typing import Literal

HASH_SCHEME = "pbkdf2_sha256"
DEFAULT_ITERATIONS = 600_000
_MAX_ITERATIONS = 10_000_000


def _pw_bytes(password: str) -> bytes:
    """The password as PBKDF2 input: NFC (a composed and a decomposed letter are one), UTF-8."""
    return unicodedata.normalize("NFC", password).encode("utf-8")


def hash_password(password: str, *, iterations: int = DEFAULT_ITERATIONS, salt: bytes | None = None) -> str:
    """``pbkdf2_sha256$<iterations>$<salt-hex>$<hash-hex>`` for ``password`` (NFC-normalised,
    16-byte random salt, 32-byte PBKDF2-HMAC-SHA256)."""
    if not password:
        raise ValueError("empty password")
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", _pw_bytes(password), salt, iterations)
    return f"{HASH_SCHEME}${iterations}${salt.hex()}${digest.hex()}"


def _section(secrets_mapping: object, name: str) -> Mapping[str, object] | None:
    """``secrets_mapping[name]`` when it is a mapping, else None (absent or unparsable)."""
    try:
        value = secrets_mapping[name]  # type: ignore[index]
    except Exception:  # noqa: BLE001 — st.secrets raises its own types when absent/unparsable
        return None
    return value if isinstance(value, Mapping) else None


def password_hash(secrets_mapping: object) -> str | None:
    """``[editor] password_hash`` from the secrets, or None."""
    section = _section(secrets_mapping, "editor")
    value = section.get("password_hash") if section is not None else None
    return value if isinstance(value, str) and value.startswith(HASH_SCHEME + "$") else None


def _parse_hash(stored: str) -> tuple[int, bytes, bytes] | None:
    """(iterations, salt, expected digest) of a stored hash, or None when it is damaged."""
    parts = stored.split("$")
    if len(parts) != 4:
        return None
    try:
        iterations = int(parts[1])
        salt, expected = bytes.fromhex(parts[2]), bytes.fromhex(parts[3])
    except ValueError:
        return None
    if not 1 <= iterations <= _MAX_ITERATIONS or not salt or not expected:
        return None
    return iterations, salt, expected


def check_password(password: str, secrets_mapping: object) -> bool:
    """True when ``password`` matches ``[editor] password_hash`` in the secrets (constant-time
    comparison); False when it does not, or when no usable hash is configured."""
    stored = password_hash(secrets_mapping)
    if not stored or not isinstance(password, str) or not password:
        return False
    parsed = _parse_hash(stored)
    if parsed is None:
        return False
    iterations, salt, expected = parsed
    digest = hashlib.pbkdf2_hmac("sha256", _pw_bytes(password), salt, iterations, len(expected))
    return hmac.compare_digest(digest, expected)


def credential_mode(secrets_mapping: object) -> Literal["oidc", "password"] | None:
    """How editing is unlocked: ``oidc`` when there is an ``[auth]`` section (``st.login``),
    ``password`` when ``[editor] password_hash`` is set, None (read-only) otherwise."""
    if _section(secrets_mapping, "auth"):
        return "oidc"
    if password_hash(secrets_mapping):
        return "password"
    return None


def oidc_provider(secrets_mapping: object) -> str | None:
    """The provider name for ``st.login``: None when ``[auth]`` holds ``client_id`` itself,
    else the first ``[auth.<provider>]`` sub-section."""
    auth = _section(secrets_mapping, "auth")
    if not auth or "client_id" in auth:
        return None
    for key, value in auth.items():
        if isinstance(value, Mapping):
            return str(key)
    return None


def _lowered(values: object) -> set[str]:
    """A secrets list (``["a@b.vn", …]``) as a set of trimmed lower-case strings; not a list → ∅."""
    if not isinstance(values, list | tuple | set | frozenset):
        return set()
    return {str(v).strip().lower() for v in values}


def is_allowed_editor(email: object, secrets_mapping: object) -> bool:
    """Whether a signed-in (OIDC) account may edit: its e-mail is in ``[editor] allowed_emails``
    or its domain in ``[editor] allowed_domains`` (case-insensitive). Nobody when neither is set:
    signing in proves who someone is, not that they are a data steward."""
    if not isinstance(email, str) or "@" not in email:
        return False
    section = _section(secrets_mapping, "editor") or {}
    address = email.strip().lower()
    emails = _lowered(section.get("allowed_emails"))
    domains = {d.lstrip("@") for d in _lowered(section.get("allowed_domains"))}
    return address in emails or address.rsplit("@", 1)[1] in domains
