"""`leadbase review`: start the Streamlit review app on an initialised base."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import webbrowser
from pathlib import Path
from types import FrameType

import click
from sqlalchemy import Engine

from leadbase.cli_context import AppContext, pass_app
from leadbase.db import safe_url

STARTUP_SECONDS = 30.0


def app_script() -> Path:
    """review_app/app.py, wherever the package is installed."""
    import review_app

    return Path(review_app.__file__).with_name("app.py")


def child_database_url(engine: Engine) -> str:
    """The engine's URL for another process: SQLite paths made absolute."""
    url = engine.url
    database = url.database or ""
    if url.get_backend_name() == "sqlite" and database not in {"", ":memory:"}:
        url = url.set(database=str(Path(database).resolve()))
    return url.render_as_string(hide_password=False)


def streamlit_command(host: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_script()),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        # Staff use the app, they do not develop it: no "Deploy" button or dev menu.
        "--client.toolbarMode",
        "viewer",
    ]


def wait_for_port(host: str, port: int, child: subprocess.Popen[bytes]) -> bool:
    """True once the server accepts connections; False if it exits or is too slow."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and child.poll() is None:
        try:
            with socket.create_connection((host, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


@click.command("review")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address.")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True)
@click.option("--no-browser", is_flag=True, help="Do not open a web browser.")
@pass_app
def review_command(app: AppContext, host: str, port: int, no_browser: bool) -> None:
    """Start the review app in a browser; Ctrl+C stops it.

    Example: leadbase review --port 8502 --no-browser
    """
    engine = app.engine()  # refuses a missing or outdated schema before starting
    env = {**os.environ, "LEADBASE_DATABASE_URL": child_database_url(engine)}
    local = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
    address = f"http://{local}:{port}"
    click.echo(f"Review app on {safe_url(engine.url)}: open {address} (Ctrl+C stops)")
    engine.dispose()
    child = subprocess.Popen(streamlit_command(host, port), env=env)

    def stop_child(signum: int, frame: FrameType | None) -> None:
        child.terminate()  # so `kill` on this process does not orphan the server

    signal.signal(signal.SIGTERM, stop_child)
    try:
        if not no_browser and wait_for_port(local, port, child):
            webbrowser.open(address)
        code = child.wait()
    except KeyboardInterrupt:
        # Ctrl+C reached the server too (same process group); let it finish.
        try:
            code = child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.terminate()
            code = child.wait()
    if code not in (0, -signal.SIGTERM, -signal.SIGINT):
        raise click.ClickException(f"the review app stopped with exit code {code}")
