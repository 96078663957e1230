"""nginx serving a folder on 127.0.0.1 for the crawl benchmarks, and how fast it serves alone.

``ensure_tools()`` installs Debian's nginx (and wrk) with ``apt-get install -y`` when missing.
``Nginx(folder)`` runs nginx in the foreground as a child of this process, with a generated config
on a free port; leaving the ``with`` block stops it. ``serve_rate`` measures requests per second
over a list of paths: with wrk if it is installed, else with a pool of keep-alive client threads.
"""

from __future__ import annotations

import getpass
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

NGINX = "/usr/sbin/nginx"


def ensure_tools() -> None:
    """Install nginx and wrk from Debian when they are missing (the benchmark's own setup)."""
    missing = [pkg for pkg, binary in (("nginx", NGINX), ("wrk", "wrk")) if not shutil.which(binary)]
    if missing:
        print(f"installing {' '.join(missing)} (apt-get install -y)", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-q", *missing], check=False, stdout=subprocess.DEVNULL)
    if not shutil.which(NGINX):
        raise SystemExit(f"nginx is needed at {NGINX}: apt-get install -y nginx")


def free_port() -> int:
    """A port on 127.0.0.1 with nothing listening (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_CONFIG = """\
daemon off;
master_process on;
worker_processes 1;
{user}pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    types {{ text/html html; text/plain txt; application/json jsonl; }}
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    open_file_cache max=50000 inactive=60s;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
    }}
}}
"""


class Nginx:
    """nginx in the foreground on 127.0.0.1:<free port>, serving ``root``; stopped on exit."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._run = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Nginx:
        user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""  # workers must read the folder
        config = self._run / "nginx.conf"
        config.write_text(_CONFIG.format(user=user, run=self._run, port=self.port, root=self.root), encoding="utf-8")
        self.process = subprocess.Popen(
            [NGINX, "-c", str(config), "-p", str(self._run), "-e", str(self._run / "error.log")],
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {(self._run / 'error.log').read_text(errors='replace')[-500:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.__exit__(None, None, None)
        raise RuntimeError(f"nginx did not listen on port {self.port} within 10 s")

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: the master stops its workers
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self._run, ignore_errors=True)


@dataclass
class ServeRate:
    """Requests per second and bytes per second the server sustained alone."""

    tool: str
    requests: int
    seconds: float
    bytes: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def serve_rate(base_url: str, paths: list[str], seconds: float = 5.0, connections: int = 32) -> ServeRate:
    """Requests per second nginx serves over ``paths`` (cycled), measured with wrk or client threads."""
    if shutil.which("wrk"):
        return _wrk(base_url, paths, seconds, connections)
    return _threads(base_url, paths, seconds, min(connections, 16))


def _wrk(base_url: str, paths: list[str], seconds: float, connections: int) -> ServeRate:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        quoted = ",".join(f'"{p}"' for p in paths)
        script.write(
            f"paths = {{{quoted}}}\ni = 0\n"
            "request = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend\n"
        )
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "-s", script.name, base_url],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 30,
        ).stdout
    finally:
        os.unlink(script.name)
    m = re.search(r"(\d+) requests in ([\d.]+)(m?s), ([\d.]+)(\w+) read", out)
    if not m:
        raise RuntimeError(f"cannot read wrk's output: {out!r}")
    elapsed = float(m[2]) / (1000 if m[3] == "ms" else 1)
    scale = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}.get(m[5], 1)
    if "Non-2xx" in out:
        raise RuntimeError(f"nginx answered errors under load: {out!r}")
    return ServeRate("wrk", int(m[1]), elapsed, int(float(m[4]) * scale))


def _threads(base_url: str, paths: list[str], seconds: float, threads: int) -> ServeRate:
    host, port = base_url.removeprefix("http://").split(":")
    counts = [0] * threads
    sizes = [0] * threads
    stop = time.monotonic() + seconds

    def client(slot: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        i = slot
        while time.monotonic() < stop:
            conn.request("GET", paths[i % len(paths)])
            response = conn.getresponse()
            sizes[slot] += len(response.read())
            if response.status != 200:
                raise RuntimeError(f"nginx answered {response.status} for {paths[i % len(paths)]}")
            counts[slot] += 1
            i += threads
        conn.close()

    started = time.monotonic()
    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(seconds + 30)
    return ServeRate(f"{threads} Python client threads", sum(counts), time.monotonic() - started, sum(sizes))
