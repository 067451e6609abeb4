"""Which Host headers the server answers, shared by the server (api/) and the command that
starts it (cli/web.py: it warns when the address is not this machine's)."""

from __future__ import annotations

import ipaddress

LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str) -> list[str]:
    """Host headers the app answers: loopback names, plus the bound name when it is one
    (binding all interfaces accepts any, as the warning says)."""
    if host in ("0.0.0.0", "::", ""):
        return ["*"]
    return sorted({*LOOPBACK_HOSTS, host})
