"""The real bot process (``python -m bot run``) for end-to-end tests and benchmarks.

The process gets a clean environment (nothing inherited that could configure the bot), runs
in its own working directory and writes stdout/stderr to files there, so a test can check
what it printed (and that no secret leaked) after it stopped.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STOP_TIMEOUT = 10.0


def clean_env(**extra: str) -> dict[str, str]:
    """The process environment minus anything that would configure the bot from outside."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "KATASIAPA_"))
        and k not in ("PYTHONWARNINGS", "PTB_TIMEDELTA")  # run exactly as in production
    }
    env["PYTHONPATH"] = str(REPO)  # cwd is a temporary directory, not the repository
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class BotProcess:
    proc: asyncio.subprocess.Process
    stdout: Path
    stderr: Path

    def output(self) -> str:
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(errors="replace")

    @property
    def running(self) -> bool:
        return self.proc.returncode is None

    async def stop(self, sig: int = signal.SIGTERM) -> int:
        self.proc.send_signal(sig)
        return await asyncio.wait_for(self.proc.wait(), STOP_TIMEOUT)

    async def wait(self, timeout: float = 30.0) -> int:  # noqa: ASYNC109
        return await asyncio.wait_for(self.proc.wait(), timeout)

    async def kill(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()
            await asyncio.wait_for(self.proc.wait(), STOP_TIMEOUT)


async def spawn(workdir: Path, env: Mapping[str, str], *args: str) -> BotProcess:
    """Start ``python -m bot ARGS`` in ``workdir`` (an existing directory)."""
    out, err = workdir / "stdout.txt", workdir / "stderr.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args,
            cwd=workdir, env=dict(env), stdin=asyncio.subprocess.DEVNULL,
            stdout=stdout, stderr=stderr,
        )  # fmt: skip
    return BotProcess(proc, out, err)


async def wait_for_port(
    host: str,
    port: int,
    proc: BotProcess,
    timeout: float = 30.0,  # noqa: ASYNC109
) -> None:
    """Wait until something accepts TCP connections on host:port (a webhook server that
    has just registered itself, before it listens). A readiness probe with a deadline: it
    retries a refused connection every 20 ms and gives up if the process exits."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection(host, port)
        except OSError:
            if not proc.running:
                raise RuntimeError(f"the bot exited:\n{proc.output()[-4000:]}") from None
            if loop.time() >= deadline:
                raise TimeoutError(f"nothing listens on {host}:{port}") from None
            await asyncio.sleep(0.02)
            continue
        writer.close()
        await writer.wait_closed()
        return
