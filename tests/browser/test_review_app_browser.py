"""Smoke tests of `leadbase review` in headless Chromium: a real server, a real
browser, then the database checked. Opt-in with --browser."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from leadbase.audit import Actor
from leadbase.auth import add_user
from leadbase.db import make_engine, session_scope
from leadbase.enums import Role, SourceKind
from leadbase.models import AuditLog, User
from leadbase.raw import RawRow, ensure_source, store_raw_records

pytestmark = pytest.mark.browser

ADMIN_PASSWORD = "admin-pass-123"
VIEWER_PASSWORD = "viewer-pass-123"
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class Server:
    url: str
    db_url: str


def leadbase_script() -> str:
    """The installed console script, next to this interpreter (or on PATH)."""
    beside = Path(sys.executable).with_name("leadbase")
    found = str(beside) if beside.exists() else shutil.which("leadbase")
    if found is None:
        pytest.fail("the `leadbase` console script is not installed", pytrace=False)
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fill_base(db_url: str) -> None:
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        actor = Actor.cli()
        crawl = ensure_source(
            session, "directory", SourceKind.CRAWL, actor=actor, trust=40
        )
        crm = ensure_source(
            session, "crm", SourceKind.CRM_EXPORT, actor=actor, trust=60
        )
        rows = [RawRow(payload={"name": f"ООО Ромашка {i}"}) for i in range(3)]
        store_raw_records(session, crawl, rows)
        store_raw_records(session, crm, [RawRow(payload={"name": "АО Вектор"})])
        add_user(session, "vera", VIEWER_PASSWORD, Role.VIEWER, actor=actor)
    engine.dispose()


def wait_until_serving(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    # Bypass any proxy settings: the server is on 127.0.0.1, nothing leaves it.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"leadbase review exited early:\n{log.read_text()}")
        try:
            with opener.open(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    pytest.fail(f"no review app after {STARTUP_SECONDS}s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`leadbase init` + raw records + `leadbase review` on a free port."""
    home = tmp_path_factory.mktemp("review")
    db_url = f"sqlite:///{home / 'leadbase.db'}"
    script = leadbase_script()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADBASE_")}
    admin = ["--admin-user", "admin", "--admin-password", ADMIN_PASSWORD]
    subprocess.run(
        [script, "--db", db_url, "init", *admin],
        check=True,
        capture_output=True,
        env=env,
        cwd=home,
    )
    fill_base(db_url)
    port = free_port()
    log = home / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [script, "--db", db_url, "review", "--port", str(port), "--no-browser"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=home,
            start_new_session=True,  # its own group, so the streamlit child dies too
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_serving(url, process, log)
        yield Server(url=url, db_url=db_url)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def sign_in(
    page: Page, server: Server, username: str, password: str, path: str = ""
) -> None:
    page.goto(f"{server.url}/{path}")
    page.get_by_role("textbox", name="Имя пользователя").fill(username)
    page.get_by_role("textbox", name="Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()


def metric(page: Page, label: str) -> str:
    box = page.get_by_test_id("stMetric").filter(has_text=label)
    return box.get_by_test_id("stMetricValue").inner_text()


def test_admin_signs_in_switches_language_and_adds_a_user(
    page: Page, server: Server, tmp_path: Path
) -> None:
    sign_in(page, server, "admin", ADMIN_PASSWORD)
    expect(page.get_by_role("heading", name="Обзор базы")).to_be_visible()
    assert metric(page, "Источники") == "2"
    assert metric(page, "Сырые записи") == "4"
    expect(page.get_by_text("Вы вошли как")).to_contain_text("admin")
    expect(page.get_by_test_id("stDataFrame").locator("canvas").first).to_be_visible()
    page.wait_for_timeout(1000)  # the grid paints its canvas after it appears
    page.screenshot(path=tmp_path / "overview-ru.png", full_page=True)

    page.get_by_text("English", exact=True).click()
    expect(page.get_by_role("heading", name="Overview of the base")).to_be_visible()
    page.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users")).to_be_visible()

    form = page.get_by_test_id("stForm").filter(has_text="Add user")
    form.get_by_role("textbox", name="Name").fill("nina")
    form.get_by_role("textbox", name="Password").fill("nina-pass-42")
    form.get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name="reviewer").click()
    form.get_by_role("button", name="Add user").click()
    expect(page.get_by_text("User nina added.")).to_be_visible()
    expect(form.get_by_role("textbox", name="Name")).to_have_value("")
    page.wait_for_timeout(1000)
    page.screenshot(path=tmp_path / "users-en.png", full_page=True)

    engine = make_engine(server.db_url)
    with session_scope(engine) as session:
        nina = session.scalars(select(User).where(User.username == "nina")).one()
        assert nina.role == Role.REVIEWER
        assert nina.password_hash.startswith("$argon2id$")
        adds = session.scalars(
            select(AuditLog).where(AuditLog.action == "user.add")
        ).all()
        assert [(a.actor, a.entity_id) for a in adds][-1] == ("admin", nina.id)
    engine.dispose()


def test_viewer_sees_no_users_menu_and_is_refused_by_url(
    page: Page, server: Server
) -> None:
    sign_in(page, server, "vera", VIEWER_PASSWORD)
    expect(page.get_by_role("heading", name="Обзор базы")).to_be_visible()
    expect(page.get_by_role("link", name="Пользователи")).to_have_count(0)
    # A new tab on /users is a new session: sign in there, then be refused.
    sign_in(page, server, "vera", VIEWER_PASSWORD, path="users")
    expect(page.get_by_text("Нет доступа")).to_be_visible()
    expect(page.get_by_text("admin", exact=True)).to_have_count(0)


def test_wrong_password_is_refused(page: Page, server: Server, tmp_path: Path) -> None:
    sign_in(page, server, "admin", "wrong-password")
    expect(page.get_by_text("Неверное имя пользователя или пароль.")).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    page.screenshot(path=tmp_path / "sign-in-refused.png", full_page=True)
