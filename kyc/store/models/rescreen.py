"""Full rescreens run partition by partition: the run, and what each partition committed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kyc.store.models.base import Base


class RescreenRun(Base):
    """A full rescreen. ``unfinished`` is 1 while the run is under way or interrupted and
    NULL once it completed or was abandoned: being unique, it lets one run at most be
    unfinished, whatever two processes try at the same instant."""

    __tablename__ = "rescreen_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(16))  # running, completed, abandoned
    unfinished: Mapped[int | None] = mapped_column(Integer, unique=True)
    screening_run_id: Mapped[int] = mapped_column(ForeignKey("screening_runs.id"))
    actor: Mapped[str] = mapped_column(String(128))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    partition_size: Mapped[int]
    partitions: Mapped[int]
    companies: Mapped[int]
    # Who drives the run (host, process, a random part) and when it last showed life:
    # a run whose holder died is resumed by the next one (kyc.rescreen.lease).
    holder: Mapped[str] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime]
    resumed: Mapped[int] = mapped_column(default=0)


class RescreenPartition(Base):
    """One partition of a run: the customers whose subject ids run from ``first_company``
    up to the next partition's first (the last one has no end), and once ``done``, the
    counts it committed in the same transaction as its hits, checks and events."""

    __tablename__ = "rescreen_partitions"

    run_id: Mapped[int] = mapped_column(ForeignKey("rescreen_runs.id"), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True)
    first_company: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))  # pending, done
    committed_at: Mapped[datetime | None]
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
