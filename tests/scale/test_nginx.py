"""Debian's nginx with ``deploy/nginx/spass.conf`` (placeholders filled) in front of a live
Django server: a page, an OGC page (gzipped), a cached tile answered by nginx alone, the
static files, an upload over the limit refused with 413, plain HTTP redirected to HTTPS."""

from __future__ import annotations

import math
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.core.signals import request_started
from django.http import QueryDict
from django.test import override_settings

from tiles.params import TileParams
from workgroups.roles import Level

from ..clients import real_client
from ..ui.matrix import resource_in_state

ROOT = Path(__file__).resolve().parents[2]
NGINX = Path("/usr/sbin/nginx")

pytestmark = [
    real_client("nginx", NGINX.exists(), "nginx de Debian (paquet nginx)"),
    pytest.mark.django_db(transaction=True),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx s'est arrêté : {log.read_text(errors='replace')}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail("nginx n'écoute pas")


def render_conf(values: dict[str, str]) -> str:
    """deploy/nginx/spass.conf with its @…@ placeholders replaced, as an operator does."""
    text = (ROOT / "deploy" / "nginx" / "spass.conf").read_text()
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    assert not re.search(r"@[A-Z_]+@", text), "placeholder left in spass.conf"
    return text


@pytest.fixture
def var_dir(tmp_path) -> Iterator[Path]:
    """A SPASS_VAR_DIR of this test: the tile cache the live server fills, the static files."""
    folder = tmp_path / "var"
    (folder / "static").mkdir(parents=True)
    (folder / "static" / "essai.css").write_text("body { color: #123456; }\n" * 40)
    from django.conf import settings

    with override_settings(SPASS={**settings.SPASS, "VAR_DIR": folder, "TILES_CACHE": True}):
        yield folder


@pytest.fixture
def front(tmp_path, live_server, var_dir) -> Iterator[dict[str, int]]:
    """nginx on two free ports (HTTP, HTTPS with a self-signed certificate) before the live
    server."""
    run = tmp_path / "nginx"
    run.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(run / "key.pem"), "-out", str(run / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    ports = {"http": _free_port(), "https": _free_port()}
    upstream = live_server.url.removeprefix("http://")
    (run / "spass.conf").write_text(
        render_conf(
            {
                "SERVER_NAME": "127.0.0.1",
                "HTTP_PORT": f"127.0.0.1:{ports['http']}",
                "HTTPS_PORT": f"127.0.0.1:{ports['https']}",
                "TLS_CERT": str(run / "cert.pem"),
                "TLS_KEY": str(run / "key.pem"),
                "UPSTREAM": f"server {upstream};",
                "VAR_DIR": str(var_dir),
                "TILE_VARIANT": TileParams.from_query(QueryDict("")).key,
                "TILE_MAX_AGE": "60",
            }
        )
    )
    user = "user root root;" if os.geteuid() == 0 else ""
    temp = " ".join(
        f"{kind}_temp_path {run}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (run / "nginx.conf").write_text(
        f"""{user}
daemon off;
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {run}/access.log;
    {temp}
    include {run}/spass.conf;
}}
"""
    )
    errors = run / "stderr.log"
    with errors.open("wb") as stderr:
        process = subprocess.Popen(
            [str(NGINX), "-p", str(run), "-c", str(run / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        _wait_port(ports["https"], process, errors)
        yield ports
    finally:
        process.terminate()
        process.wait(timeout=30)


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    lat_r = math.radians(lat)
    y = int((1 - math.log(math.tan(lat_r) + 1 / math.cos(lat_r)) / math.pi) / 2 * n)
    return x, y


def test_nginx_front(front, cast, var_dir):
    resource_in_state(cast, Level.PUBLIC, True, title="Beffroi devant nginx")
    base = f"https://127.0.0.1:{front['https']}"
    reached: list[str] = []

    def count(sender, environ=None, **kwargs):
        reached.append((environ or {}).get("PATH_INFO", ""))

    request_started.connect(count, weak=False, dispatch_uid="scale-nginx-count")
    try:
        with httpx.Client(verify=False, timeout=30) as client:
            # plain HTTP goes to HTTPS
            redirect = client.get(f"http://127.0.0.1:{front['http']}/")
            assert redirect.status_code == 301
            assert redirect.headers["location"].startswith("https://127.0.0.1")

            page = client.get(f"{base}/")
            assert page.status_code == 200 and "text/html" in page.headers["content-type"]

            ogc = client.get(f"{base}/ogc/collections", headers={"Accept-Encoding": "gzip"})
            assert ogc.status_code == 200
            assert ogc.headers["content-encoding"] == "gzip"
            assert "collections" in ogc.json()

            static = client.get(f"{base}/static/essai.css", headers={"Accept-Encoding": "gzip"})
            assert static.status_code == 200 and "#123456" in static.text
            assert "/static/essai.css" not in reached  # nginx read it from the disk

            x, y = _tile_of(3.0573, 50.6292, 12)
            url = f"{base}/tiles/observatoire/12/{x}/{y}.pbf"
            first = client.get(url)
            assert first.status_code == 200 and first.content  # rendered by Django
            variant = TileParams.from_query(QueryDict("")).key
            stored = var_dir / "tiles" / "observatoire" / variant / "12" / str(x) / f"{y}.pbf"
            assert stored.read_bytes() == first.content
            reached.clear()
            second = client.get(url)
            assert second.status_code == 200
            assert second.content == first.content
            assert second.headers["content-type"] == "application/vnd.mapbox-vector-tile"
            assert second.headers["cache-control"] == "public, max-age=60"
            assert reached == []  # nginx answered alone: Python never saw the request
            # a tile asked with credentials or a filter is Django's
            client.get(f"{url}?properties=title")
            assert reached == [f"/tiles/observatoire/12/{x}/{y}.pbf"]

            reached.clear()
            big = client.post(
                f"{base}/api/v1/resources/",
                content=b"x" * (11 * 1024 * 1024),
                headers={"Content-Type": "application/json"},
            )
            assert big.status_code == 413
            assert reached == []
    finally:
        request_started.disconnect(dispatch_uid="scale-nginx-count")
