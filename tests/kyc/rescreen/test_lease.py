"""Whether the process holding a rescreen run is still alive."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from kyc.rescreen.lease import RELEASED, Holder, process_running, this_process

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
LEASE = timedelta(minutes=15)


def test_this_process_is_alive_and_named_by_host_and_pid() -> None:
    holder = Holder.parse(this_process())
    assert holder == Holder(socket.gethostname(), os.getpid())
    assert holder is not None and holder.alive(NOW - timedelta(days=9), NOW, LEASE)


def test_a_killed_process_is_dead_even_before_it_is_reaped() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    assert process_running(child.pid)
    child.kill()
    # A zombie until reaped: os.kill(pid, 0) still succeeds, /proc says Z.
    for _ in range(100):
        if not process_running(child.pid):
            break
        time.sleep(0.05)
    assert not process_running(child.pid)
    child.wait()
    assert not process_running(child.pid)


def test_elsewhere_a_holder_lives_until_silent_for_the_lease() -> None:
    far = Holder("another-host", 4242)
    assert far.alive(NOW - LEASE + timedelta(seconds=1), NOW, LEASE)
    assert not far.alive(NOW - LEASE, NOW, LEASE)
    assert str(far) == "process 4242 on another-host"


def test_a_released_run_has_no_holder() -> None:
    assert Holder.parse(RELEASED) is None
