"""The review app driven through AppTest, then checked in the database."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from click.testing import CliRunner
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from leadbase.audit import Actor
from leadbase.auth import add_user, set_active, set_role, verify_password
from leadbase.cli import cli
from leadbase.cli_review import child_database_url, streamlit_command
from leadbase.enums import CompanyStatus, Role, SourceKind
from leadbase.errors import AuthError, ValidationError
from leadbase.models import AuditLog, Company, User
from leadbase.raw import RawRow, ensure_source, store_raw_records
from review_app import actions
from review_app.i18n import TEXTS

APP = Path(__file__).resolve().parents[2] / "review_app" / "app.py"
PASSWORD = "correct-horse-1"


@pytest.fixture
def app_env(
    db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[str]:
    """Point the app at the test database; release its cached engine afterwards."""
    # A developer's leadbase.toml or LEADBASE_LANGUAGE must not change the test.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LEADBASE_LANGUAGE", raising=False)
    monkeypatch.setenv("LEADBASE_DATABASE_URL", db_url)
    yield db_url
    st.cache_resource.clear()  # disposes the engine before the database is dropped


AppMaker = Callable[[], AppTest]


@pytest.fixture
def make_app(app_env: str) -> AppMaker:
    """A fresh app session, already run once (showing the sign-in form)."""

    def make() -> AppTest:
        # Generous timeout: the first run imports pandas and hashes a password.
        return AppTest.from_file(APP, default_timeout=30).run()

    return make


@pytest.fixture
def users(session: Session) -> dict[str, Role]:
    """An admin, a reviewer and a viewer, all with PASSWORD."""
    made = {"boss": Role.ADMIN, "rita": Role.REVIEWER, "vera": Role.VIEWER}
    for name, role in made.items():
        add_user(session, name, PASSWORD, role, actor=Actor.cli())
    session.commit()
    return made


def sign_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    return at.button(key="signin_submit").click().run()


def visible_text(at: AppTest) -> str:
    """Everything a person could read on the page, tables included."""
    parts = [
        str(e.value)
        for kind in ("title", "subheader", "markdown", "caption", "error", "info")
        for e in getattr(at, kind)
    ]
    parts += [m.label + " " + str(m.value) for m in at.metric]
    parts += [d.value.to_string() for d in at.dataframe]
    return "\n".join(parts)


def store_sample_records(session: Session) -> None:
    actor = Actor.cli()
    directory = ensure_source(session, "directory", SourceKind.CRAWL, actor=actor)
    bought = ensure_source(session, "bought", SourceKind.BOUGHT, actor=actor, trust=30)
    rows = [RawRow(payload={"name": f"ООО Ромашка {i}"}) for i in range(3)]
    store_raw_records(session, directory, rows)
    store_raw_records(session, bought, [RawRow(payload={"name": "АО Вектор"})] * 2)
    session.commit()


def audit_rows(session: Session, action: str) -> list[AuditLog]:
    session.expire_all()
    return list(session.scalars(select(AuditLog).where(AuditLog.action == action)))


def test_wrong_password_shows_an_error_and_no_overview(
    make_app: AppMaker, users: dict[str, Role], session: Session
) -> None:
    at = sign_in(make_app(), "boss", "not-the-password")
    assert not at.exception
    assert [e.value for e in at.error] == ["Неверное имя пользователя или пароль."]
    assert not at.metric
    assert "Обзор базы" not in visible_text(at)
    assert len(audit_rows(session, "login.failed")) == 1  # committed despite failing


def test_disabled_account_is_told_so(
    make_app: AppMaker, users: dict[str, Role], session: Session
) -> None:
    set_active(session, "rita", False, actor=Actor.cli())
    session.commit()
    at = sign_in(make_app(), "rita")
    assert [e.value for e in at.error] == [
        "Учётная запись отключена; обратитесь к администратору."
    ]
    assert not at.metric


def test_sign_in_shows_the_overview_with_counts_per_source(
    make_app: AppMaker, users: dict[str, Role], session: Session
) -> None:
    store_sample_records(session)
    at = sign_in(make_app(), "vera")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Источники"] == "2"
    assert metrics["Сырые записи"] == "4"  # the two bought rows are one record
    assert metrics["Компании"] == "0"
    table = at.dataframe[0].value
    assert table.to_dict("records") == [
        {"Источник": "bought", "Тип": "купленная база", "Доверие": 30, "Записей": 1},
        {"Источник": "directory", "Тип": "обход сайтов", "Доверие": 50, "Записей": 3},
    ]
    assert "leadbase dedupe" in visible_text(at)  # companies come after dedupe
    assert "Вы вошли как **vera**" in visible_text(at)
    assert "Роль: наблюдатель" in visible_text(at)


def test_overview_counts_companies_by_status_and_category(
    make_app: AppMaker, users: dict[str, Role], session: Session
) -> None:
    store_sample_records(session)
    session.add_all(
        [
            Company(name="ООО Ромашка", status=CompanyStatus.VERIFIED, category="A"),
            Company(name="АО Вектор", category="A"),
            Company(name="ИП Петров"),
        ]
    )
    session.commit()
    at = sign_in(make_app(), "vera")
    at.radio(key="app_language").set_value("en").run()
    by_status, by_category = (d.value for d in at.dataframe[1:])
    assert dict(by_status.values.tolist()) == {
        "new": 2,
        "verified": 1,
        "rejected": 0,
        "dead": 0,
    }
    assert dict(by_category.values.tolist()) == {
        "A": 2,
        "B": 0,
        "C": 0,
        "D": 0,
        "E": 0,
        "none": 1,
    }
    assert not at.info  # no empty-state hints once there are companies


def test_empty_base_explains_how_to_fill_it(
    make_app: AppMaker, users: dict[str, Role]
) -> None:
    at = sign_in(make_app(), "vera")
    assert "База пуста" in at.info[0].value
    assert "leadbase sample" in at.info[0].value
    assert not at.dataframe


def test_language_switch_changes_labels(
    make_app: AppMaker, users: dict[str, Role]
) -> None:
    at = sign_in(make_app(), "boss")
    assert at.title[0].value == "Обзор базы"
    at.radio(key="app_language").set_value("en").run()
    assert at.title[0].value == "Overview of the base"
    assert "Raw records" in [m.label for m in at.metric]
    assert at.button(key="account_signout").label == "Sign out"


def test_language_switch_works_on_the_sign_in_form(make_app: AppMaker) -> None:
    at = make_app()
    at.radio(key="app_language").set_value("en").run()
    assert at.text_input(key="signin_username").label == "User name"


def test_viewer_reaching_the_users_page_gets_access_denied(
    make_app: AppMaker, users: dict[str, Role]
) -> None:
    at = sign_in(make_app(), "vera")
    at.switch_page("app_pages/users.py").run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Нет доступа: роли «наблюдатель» эта страница недоступна."
    ]
    text = visible_text(at)
    assert "boss" not in text and "rita" not in text
    assert not at.dataframe and not at.text_input


def test_role_change_applies_at_the_next_interaction(
    make_app: AppMaker, users: dict[str, Role], session: Session
) -> None:
    at = sign_in(make_app(), "rita")
    set_role(session, "rita", Role.ADMIN, actor=Actor.cli())
    session.commit()
    at.switch_page("app_pages/users.py").run()
    assert not at.error
    assert "vera" in visible_text(at)


def test_disabled_user_is_signed_out_at_the_next_interaction(
    make_app: AppMaker, users: dict[str, Role], session: Session
) -> None:
    at = sign_in(make_app(), "rita")
    assert at.metric
    set_active(session, "rita", False, actor=Actor.cli())
    session.commit()
    at.run()
    assert not at.metric
    assert at.text_input(key="signin_username")


def test_sign_out_returns_to_the_sign_in_form(
    make_app: AppMaker, users: dict[str, Role], session: Session
) -> None:
    at = sign_in(make_app(), "rita")
    at.button(key="account_signout").click().run()
    assert at.text_input(key="signin_username")
    assert not at.metric
    assert "auth_user_id" not in at.session_state
    assert [a.actor for a in audit_rows(session, "logout")] == ["rita"]


def add_user_via_form(at: AppTest, name: str, password: str, role: str) -> AppTest:
    at.text_input(key="users_new_name").input(name)
    at.selectbox(key="users_new_role").set_value(role)
    at.text_input(key="users_new_password").input(password)
    return at.button(key="users_add").click().run()


def test_admin_adds_a_user_and_it_is_audited(
    make_app: AppMaker, users: dict[str, Role], session: Session
) -> None:
    at = sign_in(make_app(), "boss")
    at.switch_page("app_pages/users.py").run()
    at = add_user_via_form(at, "nina", "nina-pass-42", "reviewer")
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Пользователь nina добавлен."]
    assert "nina" in visible_text(at)  # the list shows the new user
    assert at.text_input(key="users_new_name").value == ""  # ready for the next
    assert at.text_input(key="users_new_password").value == ""
    session.expire_all()
    nina = session.scalars(select(User).where(User.username == "nina")).one()
    assert nina.role == Role.REVIEWER and nina.is_active
    assert nina.password_hash.startswith("$argon2id$")
    assert verify_password(nina.password_hash, "nina-pass-42")
    (entry,) = audit_rows(session, "user.add")[-1:]
    assert entry.actor == "boss" and entry.entity_id == nina.id
    assert "nina-pass-42" not in str(entry.after)


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("nina", "short", "Пароль слишком короткий: нужно не меньше 8 символов."),
        ("нина", "long-enough-1", "Недопустимое имя: 2–64 латинские буквы"),
        ("rita", "long-enough-1", "user 'rita' already exists"),
    ],
)
def test_bad_new_user_shows_an_error_and_adds_nothing(
    make_app: AppMaker,
    users: dict[str, Role],
    session: Session,
    name: str,
    password: str,
    message: str,
) -> None:
    at = sign_in(make_app(), "boss")
    at.switch_page("app_pages/users.py").run()
    before = len(audit_rows(session, "user.add"))
    at = add_user_via_form(at, name, password, "viewer")
    assert not at.exception
    assert len(at.error) == 1 and message in at.error[0].value
    assert len(audit_rows(session, "user.add")) == before
    assert session.scalar(select(User).where(User.username == "nina")) is None


def test_admin_changes_role_and_disables_a_user(
    make_app: AppMaker, users: dict[str, Role], session: Session
) -> None:
    at = sign_in(make_app(), "boss")
    at.switch_page("app_pages/users.py").run()
    at.selectbox(key="users_edit_name").set_value("vera").run()
    vera_id = session.scalars(select(User.id).where(User.username == "vera")).one()
    at.selectbox(key=f"users_edit_role_{vera_id}").set_value("reviewer")
    at.toggle(key=f"users_edit_active_{vera_id}").set_value(False)
    at = at.button(key="users_edit_save").click().run()
    assert not at.error
    assert [s.value for s in at.success] == ["Изменения для vera сохранены."]
    session.expire_all()
    vera = session.get(User, vera_id)
    assert vera is not None and vera.role == Role.REVIEWER and not vera.is_active
    assert [a.actor for a in audit_rows(session, "user.set_role")] == ["boss"]
    assert [a.actor for a in audit_rows(session, "user.disable")] == ["boss"]


def test_admin_cannot_edit_themselves_in_the_form(
    make_app: AppMaker, users: dict[str, Role], session: Session
) -> None:
    at = sign_in(make_app(), "boss")
    at.switch_page("app_pages/users.py").run()
    at.selectbox(key="users_edit_name").set_value("boss").run()
    assert at.button(key="users_edit_save").disabled
    boss = session.scalars(select(User).where(User.username == "boss")).one()
    with pytest.raises(ValidationError, match="your own role"):
        actions.update_user(session, Actor.of(boss), "boss", Role.VIEWER, True)


def test_actions_refuse_a_non_admin_whatever_the_page_showed(
    users: dict[str, Role], session: Session
) -> None:
    rita = session.scalars(select(User).where(User.username == "rita")).one()
    with pytest.raises(AuthError, match="may not admin"):
        actions.add_user(session, Actor.of(rita), "eve", "long-enough-1", Role.ADMIN)
    with pytest.raises(AuthError):
        actions.update_user(session, Actor.of(rita), "vera", Role.ADMIN, True)
    assert session.scalar(select(User).where(User.username == "eve")) is None


def test_uninitialised_database_shows_an_error_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LEADBASE_DATABASE_URL", f"sqlite:///{tmp_path}/absent.db")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "leadbase init" in at.error[0].value
    assert not at.text_input


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_text_exists_in_both_languages(language: str) -> None:
    for key, texts in TEXTS.items():
        assert texts.get(language), f"{key} has no {language} text"
        fields = {lang: set(re.findall(r"{(\w+)}", s)) for lang, s in texts.items()}
        assert fields["ru"] == fields["en"], key


def test_review_command_refuses_an_uninitialised_base(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--db", f"sqlite:///{tmp_path}/absent.db", "review", "--no-browser"]
    )
    assert result.exit_code == 1
    assert "leadbase init" in result.output


def test_review_command_runs_streamlit_on_an_absolute_sqlite_path(
    engine: Engine, backend: str
) -> None:
    command = streamlit_command("127.0.0.1", 8765)
    assert command[1:4] == ["-m", "streamlit", "run"]
    assert Path(command[4]) == APP
    assert command[5:] == [
        "--server.address",
        "127.0.0.1",
        "--server.port",
        "8765",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
    ]
    url = child_database_url(engine)
    if backend == "sqlite":
        assert url.startswith("sqlite:////")
