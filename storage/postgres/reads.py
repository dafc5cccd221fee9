"""Reads shared by the PostgreSQL repositories (the twin of ``storage.rows.claims_where``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.models import StoredClaim
from storage.postgres.db import Conn
from storage.rows import CLAIM_COLUMNS, CLAIM_ORDER, claim_from_row


async def via_of(conn: Conn, claim_ids: Sequence[int]) -> dict[int, list[str]]:
    """The reporting chains of these claims, in order."""
    via: dict[int, list[str]] = {}
    if not claim_ids:
        return via
    cursor = await conn.execute(
        "SELECT claim_id, name FROM claim_via WHERE claim_id = ANY (%s) "
        "ORDER BY claim_id, position",
        (list(claim_ids),),
    )
    for row in await cursor.fetchall():
        via.setdefault(int(row["claim_id"]), []).append(str(row["name"]))
    return via


async def claims_where(
    conn: Conn, where: str, params: Sequence[Any], *, order: str = CLAIM_ORDER
) -> list[StoredClaim]:
    """Claims matching a WHERE clause (storage-internal SQL), with their via chains."""
    cursor = await conn.execute(
        f"SELECT {CLAIM_COLUMNS} FROM claims WHERE {where} {order}",
        params,
    )
    rows = await cursor.fetchall()
    if not rows:
        return []
    via = await via_of(conn, [int(r["id"]) for r in rows])
    return [claim_from_row(r, via.get(int(r["id"]), [])) for r in rows]
