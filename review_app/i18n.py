"""Every visible string of the review app, in Russian and English, and the switch."""

from __future__ import annotations

import streamlit as st

LANGUAGES: dict[str, str] = {"ru": "Русский", "en": "English"}
LANGUAGE_KEY = "app_language"
FALLBACK_LANGUAGE = "ru"

# key -> {language -> text}; `str.format` placeholders must agree across languages
# (tests/app checks that every key has both languages with the same placeholders).
TEXTS: dict[str, dict[str, str]] = {
    "language": {"ru": "Язык", "en": "Language"},
    "db.unavailable": {
        "ru": "База данных недоступна: {reason}",
        "en": "The database is not available: {reason}",
    },
    "config.error": {
        "ru": "Ошибка в настройках: {reason}",
        "en": "The settings are wrong: {reason}",
    },
    "signin.title": {"ru": "Вход", "en": "Sign in"},
    "signin.intro": {
        "ru": "Войдите, чтобы работать с клиентской базой.",
        "en": "Sign in to work with the client base.",
    },
    "signin.username": {"ru": "Имя пользователя", "en": "User name"},
    "signin.password": {"ru": "Пароль", "en": "Password"},
    "signin.submit": {"ru": "Войти", "en": "Sign in"},
    "signin.failed": {
        "ru": "Неверное имя пользователя или пароль.",
        "en": "Wrong user name or password.",
    },
    "signin.disabled": {
        "ru": "Учётная запись отключена; обратитесь к администратору.",
        "en": "This account is disabled; ask an admin.",
    },
    "account.signed_in": {
        "ru": "Вы вошли как **{name}**",
        "en": "Signed in as **{name}**",
    },
    "account.role": {"ru": "Роль: {role}", "en": "Role: {role}"},
    "account.signout": {"ru": "Выйти", "en": "Sign out"},
    "role.admin": {"ru": "администратор", "en": "admin"},
    "role.reviewer": {"ru": "проверяющий", "en": "reviewer"},
    "role.viewer": {"ru": "наблюдатель", "en": "viewer"},
    "nav.overview": {"ru": "Обзор", "en": "Overview"},
    "nav.users": {"ru": "Пользователи", "en": "Users"},
    "access.denied": {
        "ru": "Нет доступа: роли «{role}» эта страница недоступна.",
        "en": "Access denied: the {role} role may not open this page.",
    },
    "error.failed": {"ru": "Не удалось: {reason}", "en": "Could not do it: {reason}"},
    "overview.title": {"ru": "Обзор базы", "en": "Overview of the base"},
    "metric.sources": {"ru": "Источники", "en": "Sources"},
    "metric.raw_records": {"ru": "Сырые записи", "en": "Raw records"},
    "metric.companies": {"ru": "Компании", "en": "Companies"},
    "metric.contacts": {"ru": "Контакты", "en": "Contacts"},
    "metric.pending_pairs": {"ru": "Пары на проверку", "en": "Pairs to review"},
    "overview.empty": {
        "ru": "База пуста: выполните `leadbase sample --out demo-data --load` "
        "или импортируйте файл.",
        "en": "The base is empty: run `leadbase sample --out demo-data --load` "
        "or import a file.",
    },
    "overview.sources": {"ru": "Записи по источникам", "en": "Raw records by source"},
    "col.source": {"ru": "Источник", "en": "Source"},
    "col.kind": {"ru": "Тип", "en": "Kind"},
    "col.trust": {"ru": "Доверие", "en": "Trust"},
    "col.raw_records": {"ru": "Записей", "en": "Raw records"},
    "col.count": {"ru": "Компаний", "en": "Companies"},
    "kind.crawl": {"ru": "обход сайтов", "en": "crawl"},
    "kind.bought": {"ru": "купленная база", "en": "bought list"},
    "kind.crm-export": {"ru": "выгрузка из CRM", "en": "CRM export"},
    "kind.manual": {"ru": "вручную", "en": "manual"},
    "kind.api": {"ru": "API", "en": "API"},
    "kind.registry": {"ru": "реестр", "en": "registry"},
    "kind.sample": {"ru": "пример", "en": "sample"},
    "overview.no_companies": {
        "ru": "Компаний пока нет: они появятся после дедупликации (`leadbase dedupe`).",
        "en": "No companies yet: they appear after deduplication (`leadbase dedupe`).",
    },
    "overview.by_status": {"ru": "Компании по статусу", "en": "Companies by status"},
    "overview.by_category": {
        "ru": "Компании по категориям A–E",
        "en": "Companies by category A–E",
    },
    "col.status": {"ru": "Статус", "en": "Status"},
    "col.category": {"ru": "Категория", "en": "Category"},
    "status.new": {"ru": "новая", "en": "new"},
    "status.verified": {"ru": "проверена", "en": "verified"},
    "status.rejected": {"ru": "отклонена", "en": "rejected"},
    "status.dead": {"ru": "недействующая", "en": "dead"},
    "category.none": {"ru": "без категории", "en": "none"},
    "users.title": {"ru": "Пользователи", "en": "Users"},
    "col.username": {"ru": "Имя", "en": "Name"},
    "col.role": {"ru": "Роль", "en": "Role"},
    "col.active": {"ru": "Активен", "en": "Active"},
    "col.last_login": {"ru": "Последний вход (UTC)", "en": "Last sign-in (UTC)"},
    "users.never": {"ru": "никогда", "en": "never"},
    "users.add": {"ru": "Добавить пользователя", "en": "Add a user"},
    "users.add_submit": {"ru": "Добавить", "en": "Add user"},
    "users.added": {
        "ru": "Пользователь {name} добавлен.",
        "en": "User {name} added.",
    },
    "users.password_hint": {
        "ru": "Не меньше {n} символов.",
        "en": "At least {n} characters.",
    },
    "users.password_short": {
        "ru": "Пароль слишком короткий: нужно не меньше {n} символов.",
        "en": "Password too short: use at least {n} characters.",
    },
    "users.bad_name": {
        "ru": "Недопустимое имя: 2–64 латинские буквы, цифры или . _ @ -",
        "en": "Bad user name: 2–64 Latin letters, digits or . _ @ -",
    },
    "users.edit": {"ru": "Изменить пользователя", "en": "Change a user"},
    "users.edit_user": {"ru": "Пользователь", "en": "User"},
    "users.edit_save": {"ru": "Сохранить", "en": "Save"},
    "users.saved": {
        "ru": "Изменения для {name} сохранены.",
        "en": "Changes for {name} saved.",
    },
    "users.self_hint": {
        "ru": "Свою роль и доступ может изменить только другой администратор.",
        "en": "Only another admin can change your own role or access.",
    },
}


def current_language() -> str:
    """The language this session chose, or the fallback before the switch exists."""
    language = st.session_state.get(LANGUAGE_KEY, FALLBACK_LANGUAGE)
    return language if language in LANGUAGES else FALLBACK_LANGUAGE


def t(key: str, **values: object) -> str:
    """The text for `key` in the session's language, with `values` filled in.

    Raises:
        KeyError: an unknown key (a bug: every visible string is listed above).
    """
    text = TEXTS[key][current_language()]
    return text.format(**values) if values else text


def number(n: int) -> str:
    """An integer with thousands grouped as the language writes them."""
    grouped = f"{n:,}"
    return grouped.replace(",", "\u00a0") if current_language() == "ru" else grouped


def language_switch(default: str) -> None:
    """The Русский / English switch in the sidebar; `default` applies until changed."""
    if LANGUAGE_KEY not in st.session_state:
        st.session_state[LANGUAGE_KEY] = default if default in LANGUAGES else "ru"
    st.sidebar.radio(
        t("language"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=LANGUAGE_KEY,
        horizontal=True,
    )
