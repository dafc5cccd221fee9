"""kill -9 of ``katasiapa ingest`` takes its analysis workers with it (issue 13): they used to
stay alive, re-parented to PID 1, holding ~120 MB."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from pathlib import Path

import pytest

from tests.helpers.botprocess import clean_env, spawn

pytestmark = pytest.mark.e2e

ARTICLE = (
    "Kepala Dinas Kesehatan Kota Lembayung, Rina Safitri, membantah kabar adanya vaksin palsu. "
    "\u201cSemua vaksin berasal dari distributor resmi,\u201d kata Rina kepada wartawan, Selasa. "
    "Menurut dua petugas puskesmas, stok vaksin cukup sampai akhir bulan."
)


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a PID 1 that does not reap counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


async def test_kill_9_of_ingest_leaves_no_worker_processes(tmp_path: Path) -> None:
    src = tmp_path / "many.jsonl"
    src.write_text(
        "\n".join(
            json.dumps({"id": f"a{i}", "text": f"Berita nomor {i} hari ini. {ARTICLE} " * 3})
            for i in range(4000)
        ),
        encoding="utf-8",
    )
    proc = await spawn(tmp_path, clean_env(), "ingest", "--quiet", "--db",
                       str(tmp_path / "k.sqlite3"), str(src))  # fmt: skip
    pid = proc.proc.pid
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and proc.running:
        await asyncio.sleep(0.2)
        workers = {c for c in _children(pid) if _alive(c)}
    assert len(workers) >= 2, f"no worker pool seen; output: {proc.output()[-2000:]}"
    os.kill(pid, signal.SIGKILL)
    await proc.wait(timeout=10)
    for _ in range(50):  # up to 10 s: nothing to wait on but /proc
        if not any(_alive(w) for w in workers):
            break
        await asyncio.sleep(0.2)
    left = [w for w in workers if _alive(w)]
    for w in left:  # do not leave them behind for the rest of the suite
        os.kill(w, signal.SIGKILL)
    assert not left, f"{len(left)} worker process(es) outlived their parent"
