"""Flow: re-verify every company and every representative's mandate, and screen every
customer (monthly, and on demand) — partition by partition, each a task committed on
its own, on a Dask cluster when KYC_DASK_ADDRESS names one. Re-running the deployment
after a crash resumes the interrupted run."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.futures import as_completed
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows._runtime import runtime
from kyc.app import rescreen as rescreen_jobs
from kyc.settings import load_settings


@task(name="begin-rescreen")
def begin_run(resume: bool) -> rescreen_jobs.RescreenPlan:
    with runtime(sign=False) as rt:
        plan = rescreen_jobs.begin(rt, resume=resume)
    for note in plan.notes:
        get_run_logger().warning(note)
    return plan


@task(name="give-up-rescreen")
def give_up(plan: rescreen_jobs.RescreenPlan) -> None:
    with runtime(sign=False) as rt:
        rescreen_jobs.give_up(rt, plan)


# A worker that dies mid-partition leaves it uncommitted: the retry (or Dask, which
# reschedules a lost worker's tasks) does it again; a committed one is not redone.
@task(name="rescreen-partition", retries=2, retry_delay_seconds=10)
def rescreen_partition(run_id: int, number: int) -> dict[str, Any] | None:
    with runtime(sign=False) as rt:
        return rescreen_jobs.rescreen_partition(rt, run_id, number)


@task(name="finish-rescreen")
def finish_run(run_id: int) -> dict[str, Any]:
    with runtime() as rt:
        result = rescreen_jobs.finish(rt, run_id)
    screening = result.screening
    return {
        "run_id": result.run_id,
        "companies": result.companies,
        "partitions": result.partitions,
        "resumed": result.resumed,
        "verdicts": result.verdicts,
        "mandates": result.mandates,
        "subjects": screening.subjects,
        "opened": len(screening.opened),
        "reopened": len(screening.reopened),
        "closed": len(screening.closed),
        "screening_run_id": screening.run_id,
    }


def partition_runner() -> TaskRunner[Any]:
    """Dask's workers when KYC_DASK_ADDRESS names a scheduler; otherwise this process,
    one partition at a time (SQLite has one writer; the matcher uses the cores)."""
    address = load_settings().dask_address
    if address:
        from prefect_dask.task_runners import DaskTaskRunner

        runner: TaskRunner[Any] = DaskTaskRunner(address=address)
        return runner
    return ThreadPoolTaskRunner(max_workers=1)


@flow(name="rescreen-partitions")
def rescreen_partitions(run_id: int, partitions: int, pending: list[int]) -> None:
    done = partitions - len(pending)
    artifact = cast(
        UUID,
        create_progress_artifact(
            _percent(done, partitions), key="rescreen-progress", description=_told(run_id)
        ),
    )
    futures = [rescreen_partition.submit(run_id, number) for number in pending]
    with runtime(sign=False) as rt:  # one store connection for every progress reading
        for future in as_completed(futures):
            future.result()  # a partition that failed for good fails the run (it resumes)
            now = rescreen_jobs.progress(rt, run_id)
            update_progress_artifact(
                artifact, _percent(now.done, now.partitions), _told(run_id, now)
            )


def _told(run_id: int, now: Any = None) -> str:
    if now is None:
        return f"Rescreen run {run_id}: starting"
    return (
        f"Rescreen run {run_id}: {now.done} of {now.partitions} partitions committed, "
        f"{now.subjects:,} subjects screened, {now.hits:,} hits"
    )


def _percent(done: int, total: int) -> float:
    return 100.0 * done / total if total else 100.0


@flow(name="rescreen-all")
def rescreen_all(resume: bool = True) -> dict[str, Any]:
    plan = begin_run(resume)
    if plan.pending:
        try:
            rescreen_partitions.with_options(task_runner=partition_runner())(
                plan.run_id, plan.partitions, list(plan.pending)
            )
        except BaseException:
            give_up(plan)  # the next run of the deployment resumes it at once
            raise
    summary = finish_run(plan.run_id)
    create_table_artifact(
        [{"count": key, "value": str(value)} for key, value in summary.items()],
        key="rescreen-summary",
        description=f"Rescreen run {summary['run_id']}",
    )
    get_run_logger().info(
        "rescreen run %(run_id)s: %(companies)s companies re-verified (mandates: "
        "%(mandates)s), %(subjects)s subjects screened in %(partitions)s partitions: "
        "%(opened)s new hits, %(reopened)s re-opened, %(closed)s closed",
        summary,
    )
    return summary
