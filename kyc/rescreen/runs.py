"""The state of a full rescreen: its partitions, which of them are committed, and who
drives it. Every function works in the session it is given; the caller commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kyc.audit import Auditor
from kyc.purposes import Purpose
from kyc.rescreen.lease import RELEASED, Holder
from kyc.store.models import Company, RescreenPartition, RescreenRun

RUNNING, COMPLETED, ABANDONED = "running", "completed", "abandoned"
PENDING, DONE = "pending", "done"


class RescreenBusy(RuntimeError):
    """Another process drives an unfinished run (or took it over a moment ago)."""


class RescreenInterrupted(RuntimeError):
    """An unfinished run whose holder died waits to be resumed or abandoned."""


class RescreenStale(RuntimeError):
    """The lists or the matcher changed since the run began: its partitions would no
    longer be screened alike."""


def partition_starts(company_ids: Sequence[str], size: int) -> list[str]:
    """The first company of each partition (ids in order, ``size`` to a partition)."""
    return [company_ids[i] for i in range(0, len(company_ids), size)]


def start_run(
    session: Session,
    *,
    screening_run_id: int,
    company_ids: Sequence[str],
    size: int,
    holder: str,
    auditor: Auditor,
    now: datetime,
) -> RescreenRun:
    starts = partition_starts(company_ids, size) or [""]  # no customer: one empty partition
    run = RescreenRun(
        state=RUNNING,
        unfinished=1,
        screening_run_id=screening_run_id,
        actor=auditor.actor,
        started_at=now,
        partition_size=size,
        partitions=len(starts),
        companies=len(company_ids),
        holder=holder,
        heartbeat_at=now,
        resumed=0,
    )
    session.add(run)
    session.flush()  # the unique ``unfinished`` refuses a second run here
    session.add_all(
        RescreenPartition(run_id=run.id, number=n, first_company=first, state=PENDING, counts={})
        for n, first in enumerate(starts)
    )
    _record(session, auditor, run, "rescreen.started", RUNNING, {"companies": len(company_ids)})
    return run


def unfinished_run(session: Session) -> RescreenRun | None:
    return session.scalar(select(RescreenRun).where(RescreenRun.unfinished == 1))


def done_count(session: Session, run_id: int) -> int:
    query = select(func.count()).where(
        RescreenPartition.run_id == run_id, RescreenPartition.state == DONE
    )
    return int(session.scalar(query) or 0)


def describe(session: Session, run: RescreenRun) -> str:
    return (
        f"rescreen run {run.id} (started {run.started_at:%Y-%m-%d %H:%M} UTC, "
        f"{done_count(session, run.id)} of {run.partitions} partitions committed)"
    )


def refuse_if_held(run: RescreenRun, describe_run: str, now: datetime, lease: timedelta) -> None:
    holder = Holder.parse(run.holder)
    if holder is not None and holder.alive(run.heartbeat_at, now, lease):
        raise RescreenBusy(
            f"{describe_run} is under way in {holder}: wait for it to end "
            "(a second rescreen would screen everybody twice)"
        )


def take_over(
    session: Session, run: RescreenRun, holder: str, *, auditor: Auditor, now: datetime
) -> None:
    """Become the holder of an interrupted run, unless another process just did."""
    taken = session.execute(
        update(RescreenRun)
        .where(RescreenRun.id == run.id, RescreenRun.holder == run.holder)
        .values(holder=holder, heartbeat_at=now, resumed=RescreenRun.resumed + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise RescreenBusy(f"rescreen run {run.id} was taken over by another process")
    session.refresh(run)
    done = done_count(session, run.id)
    _record(session, auditor, run, "rescreen.resumed", RUNNING, {"partitions_done": done})


def release(session: Session, run_id: int, holder: str) -> None:
    """Give the run up after a failure this process saw, so that it resumes at once."""
    session.execute(
        update(RescreenRun)
        .where(RescreenRun.id == run_id, RescreenRun.holder == holder)
        .values(holder=RELEASED)
    )


def abandon(session: Session, run: RescreenRun, reason: str, *, auditor: Auditor,
            now: datetime) -> None:  # fmt: skip
    run.state, run.unfinished, run.finished_at = ABANDONED, None, now
    _record(session, auditor, run, "rescreen.abandoned", ABANDONED, {"reason": reason})


def pending_partitions(session: Session, run_id: int) -> list[int]:
    return list(
        session.scalars(
            select(RescreenPartition.number)
            .where(RescreenPartition.run_id == run_id, RescreenPartition.state == PENDING)
            .order_by(RescreenPartition.number)
        )
    )


def claim(session: Session, run_id: int, number: int) -> RescreenPartition | None:
    """The partition to work on, locked until the commit; None when it is committed
    already (a retried task, or a worker that finished it before dying)."""
    partition = session.scalar(
        select(RescreenPartition)
        .where(RescreenPartition.run_id == run_id, RescreenPartition.number == number)
        .with_for_update()
    )
    if partition is None:
        raise LookupError(f"rescreen run {run_id} has no partition {number}")
    return partition if partition.state == PENDING else None


def partition_companies(session: Session, partition: RescreenPartition) -> list[str]:
    """The customers in relationship whose ids fall in the partition's range."""
    following = session.scalar(
        select(RescreenPartition.first_company).where(
            RescreenPartition.run_id == partition.run_id,
            RescreenPartition.number == partition.number + 1,
        )
    )
    query = select(Company.subject_id).where(
        Company.relationship_ended_on.is_(None), Company.subject_id >= partition.first_company
    )
    if following is not None:
        query = query.where(Company.subject_id < following)
    return list(session.scalars(query.order_by(Company.subject_id)))


def commit_partition(
    session: Session,
    partition: RescreenPartition,
    counts: dict[str, Any],
    *,
    auditor: Auditor,
    now: datetime,
) -> None:
    """Mark the partition done, in the transaction that holds its work."""
    partition.state, partition.committed_at, partition.counts = DONE, now, counts
    session.execute(
        update(RescreenRun).where(RescreenRun.id == partition.run_id).values(heartbeat_at=now)
    )
    summary = {k: (len(v) if isinstance(v, list) else v) for k, v in counts.items()}
    auditor.record(
        session,
        action="rescreen.partition",
        purpose=Purpose.SANCTIONS_SCREENING,
        outcome=DONE,
        subject_ref=f"rescreen:{partition.run_id}",
        details={"partition": partition.number, **summary},
    )


def committed_counts(session: Session, run_id: int) -> list[dict[str, Any]]:
    return list(
        session.scalars(
            select(RescreenPartition.counts)
            .where(RescreenPartition.run_id == run_id, RescreenPartition.state == DONE)
            .order_by(RescreenPartition.number)
        )
    )


def complete(session: Session, run: RescreenRun, *, auditor: Auditor, now: datetime) -> None:
    if pending_partitions(session, run.id):
        raise RescreenInterrupted(f"{describe(session, run)} has partitions left to do")
    run.state, run.unfinished, run.finished_at = COMPLETED, None, now
    _record(session, auditor, run, "rescreen.completed", COMPLETED, {"partitions": run.partitions})


@dataclass(frozen=True)
class Progress:
    run_id: int
    partitions: int
    done: int
    subjects: int
    hits: int


def progress(session: Session, run: RescreenRun) -> Progress:
    counts = committed_counts(session, run.id)
    return Progress(
        run.id,
        run.partitions,
        len(counts),
        sum(int(c.get("subjects", 0)) for c in counts),
        sum(int(c.get("matches", 0)) for c in counts),
    )


def _record(
    session: Session, auditor: Auditor, run: RescreenRun, action: str, outcome: str,
    details: dict[str, Any],
) -> None:  # fmt: skip
    auditor.record(
        session,
        action=action,
        purpose=Purpose.SANCTIONS_SCREENING,
        outcome=outcome,
        subject_ref=f"rescreen:{run.id}",
        details={"run_id": run.id, "screening_run_id": run.screening_run_id,
                 "partitions": run.partitions, **details},
    )  # fmt: skip
