"""The LeadbaseError tree: mistakes a user can fix, reported as one clear line."""

from __future__ import annotations

from datetime import datetime


class LeadbaseError(Exception):
    """Base of every error a user can act on; the CLI prints it as `Error: ...`, exit 1.

    Bugs are not LeadbaseErrors: they keep their traceback.
    """


class ConfigError(LeadbaseError):
    """Raised by `leadbase.config` for a bad setting, file or environment variable."""


class DatabaseUnavailableError(LeadbaseError):
    """Raised by `leadbase.db` when the database URL is wrong or the server is down."""


class SchemaError(LeadbaseError):
    """Raised by `leadbase.db` when the schema is missing or older than this code."""


class NotFoundError(LeadbaseError):
    """Raised when a named user, company, source or record does not exist."""


class ValidationError(LeadbaseError):
    """Raised for a value a person typed that cannot be accepted (role, password...)."""


class AuthError(LeadbaseError):
    """Raised by `leadbase.auth`: wrong password, disabled user or missing role."""


class StaleEditError(LeadbaseError):
    """Raised by `leadbase.audit.apply_edit` when an edit was made on an old version.

    Carries who made the newer change and when, so the UI can show it and reload.
    """

    def __init__(
        self,
        entity: str,
        entity_id: int,
        changed_by: str,
        changed_at: datetime | None,
        current_version: int,
    ) -> None:
        when = changed_at.strftime("%Y-%m-%d %H:%M:%S UTC") if changed_at else "?"
        super().__init__(
            f"{entity} #{entity_id} was changed by {changed_by} at {when} "
            f"(now version {current_version}); your edit was not saved. "
            "Reload to see the new values, then apply your change again."
        )
        self.entity = entity
        self.entity_id = entity_id
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.current_version = current_version
