"""Make the editor password line for ``.streamlit/secrets.toml``.

Run it on the server (no arguments; the password is asked for twice and never echoed)::

    .venv/bin/python scripts/hash_password.py

and paste the printed ``[editor]`` block into ``.streamlit/secrets.toml``. Only the salted
PBKDF2-SHA256 hash is stored; the password itself is written nowhere. When standard input is not
a terminal, the password is read from its first line (for automated deployments).
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nq05_metrics.i18n import slashed  # noqa: E402
from nq05_metrics.stewardship import hash_password  # noqa: E402

MIN_LENGTH = 10


def _ask() -> str | None:
    """The password from the terminal (asked twice) or the first line of standard input."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(slashed("cli.password_prompt") + ": ")
    again = getpass.getpass(slashed("cli.password_again") + ": ")
    if first != again:
        print(slashed("cli.password_mismatch"), file=sys.stderr)
        return None
    return first


def main() -> int:
    password = _ask()
    if password is None:
        return 1
    if len(password) < MIN_LENGTH:
        print(slashed("cli.password_too_short", n=MIN_LENGTH), file=sys.stderr)
        return 1
    print("# .streamlit/secrets.toml")
    print("[editor]")
    print(f'password_hash = "{hash_password(password)}"')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
