"""SQLite storage: the only package that contains SQL.

``Database`` owns the process' single connection (pragmas, migrations, transactions, error
mapping); repositories such as ``SqliteArticleStore`` are built with it and return the domain
models of ``bot.core.models``.
"""

from storage.articles import SqliteArticleStore
from storage.db import Database

__all__ = ["Database", "SqliteArticleStore"]
