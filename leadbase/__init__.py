"""leadbase core: data model, database access, configuration, audit and the CLI."""

__version__ = "0.1.0"
