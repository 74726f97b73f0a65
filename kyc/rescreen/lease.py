"""Who drives a rescreen run, and whether that process is still alive.

A run names its holder: the machine, the process and a random part. On the same
machine a dead process is seen at once (a `kill -9` leaves no time to say goodbye);
a holder on another machine is presumed alive until it has been silent for the lease.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

# The holder of a run whose process gave it up on a failure it saw (an exception): the
# next run may take it over at once.
RELEASED = "released"


def this_process() -> str:
    return f"{socket.gethostname()}/{os.getpid()}/{secrets.token_hex(4)}"


@dataclass(frozen=True)
class Holder:
    host: str
    pid: int

    @classmethod
    def parse(cls, holder: str) -> Holder | None:
        """The process ``holder`` names; None when it released the run."""
        if holder == RELEASED:
            return None
        host, pid, _ = holder.rsplit("/", 2)
        return cls(host, int(pid))

    def alive(self, heartbeat_at: datetime, now: datetime, lease: timedelta) -> bool:
        if self.host == socket.gethostname():
            return process_running(self.pid)
        return now - heartbeat_at < lease

    def __str__(self) -> str:
        return f"process {self.pid} on {self.host}"


def process_running(pid: int) -> bool:
    """Whether ``pid`` runs here (a zombie, killed but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # somebody else's process: alive
    try:
        # The state follows the command name in parentheses, which may hold spaces.
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")
