"""Reads shared by the PostgreSQL repositories (the twin of ``storage.rows.claims_where``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.models import StoredClaim
from storage.postgres.db import Conn
from storage.rows import CLAIM_COLUMNS, CLAIM_ORDER, claim_from_row

# Each claim's reporting chain comes along in the same query (one round trip less).
VIA = "ARRAY(SELECT v.name FROM claim_via AS v WHERE v.claim_id = {alias}.id ORDER BY v.position)"


async def claims_where(
    conn: Conn, where: str, params: Sequence[Any], *, order: str = CLAIM_ORDER
) -> list[StoredClaim]:
    """Claims matching a WHERE clause (storage-internal SQL), with their via chains."""
    cursor = await conn.execute(
        f"SELECT {CLAIM_COLUMNS}, {VIA.format(alias='claims')} AS via "
        f"FROM claims WHERE {where} {order}",
        params,
    )
    return [claim_from_row(r, list(r["via"])) for r in await cursor.fetchall()]
