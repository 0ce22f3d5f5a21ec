"""What the bench scripts share: a free port on 127.0.0.1, the configured languages, and a
built folder served with python -m http.server until it answers."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def languages() -> list[str]:
    """Language codes of data/site.yaml, default first."""
    data = yaml.safe_load((ROOT / "data" / "site.yaml").read_text(encoding="utf-8"))
    return [entry["code"] for entry in data["languages"]]


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 10.0) -> None:
    """Return once ``url`` answers; exit if ``process`` dies or the time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"the server for {url} exited") from None
            time.sleep(0.05)
    process.kill()
    raise SystemExit(f"{url} did not answer in {seconds:.0f} s")


def serve_folder(site: Path, port: int) -> subprocess.Popen[bytes]:
    """python -m http.server on 127.0.0.1:port over ``site``, answering."""
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until_up(f"http://127.0.0.1:{port}/", server)
    return server


def chromium_path() -> str | None:
    """Debian's Chromium (or $CHROMIUM_PATH), which Playwright drives; None when it is not installed."""
    found = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return found if Path(found).exists() else None


def build_real_site(out: Path, port: int) -> Path:
    """The repository's site built into ``out`` for http://127.0.0.1:port (the address serve_folder serves it at)."""
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--out", str(out), "--base-url", f"http://127.0.0.1:{port}"], check=True)
    return out
