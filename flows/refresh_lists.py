"""Flow: fetch and import every configured sanctions list (daily), then screen the changes.

Each source is fetched in its own task (retried only on network failures); each
activation is followed by a delta rescreen. A source that could not be refreshed, or a
version that was rejected or held, fails the flow run — after the other sources were
handled — with the reason in the logs and in the run's summary artifact.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import Task, flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.client.schemas.objects import State, TaskRun

from flows import _events as events
from flows._runtime import runtime
from kyc.app import lists as list_jobs
from kyc.app import screening as screening_jobs
from kyc.lists import ListImportResult
from kyc.settings import load_settings
from sanctions_sources.fetch import FetchError


class ListsNotRefreshed(RuntimeError):
    pass


def _worth_retrying(task: Task[..., Any], run: TaskRun, state: State[Any]) -> bool:
    """Only network failures are retried; a bad file stays bad."""
    try:
        state.result()
    except FetchError:
        return True
    except Exception:
        return False
    return False


@task(
    name="fetch-and-import-list",
    retries=2,
    retry_delay_seconds=60,
    retry_condition_fn=_worth_retrying,
)
def refresh_source(source: str, from_dir: str | None) -> dict[str, Any]:
    with runtime() as rt:
        result = list_jobs.fetch_list(rt, source, Path(from_dir) if from_dir else None)
    change_set = result.change_set if isinstance(result, ListImportResult) else None
    if change_set is not None:
        events.list_activated(source, change_set.version_id, change_set.id)
    return {"summary": result.summary(), "change_set_id": change_set.id if change_set else None}


@task(name="delta-rescreen")
def delta_rescreen(change_set_id: int) -> str:
    with runtime() as rt:
        run = screening_jobs.delta_rescreen(rt, change_set_id)
    return (
        f"delta screening run {run.run_id} (change set {change_set_id}): {run.subjects} "
        f"subjects, {len(run.opened)} new hits, {len(run.reopened)} re-opened, "
        f"{len(run.closed)} closed"
    )


@flow(name="refresh-lists")
def refresh_lists(
    sources: list[str] | None = None, from_dir: str | None = None, screen_changes: bool = True
) -> list[str]:
    """Download (or take from ``from_dir`` / ``KYC_LISTS_DIR``) and import each list.
    Each activation emits ``kyc.list.activated``; ``screen_changes`` screens what it
    changed here and now (the deployment leaves that to the flow the event triggers)."""
    logger = get_run_logger()
    keys = sources or load_settings().list_sources
    lines: list[str] = []
    failures: list[str] = []
    for key, future in zip(keys, refresh_source.map(keys, from_dir), strict=True):
        outcome = future.result(raise_on_failure=False)
        if isinstance(outcome, BaseException):
            failures.append(f"{key}: {outcome}")
            logger.error("%s: not refreshed: %s", key, outcome)
            continue
        lines.append(outcome["summary"])
        logger.info(outcome["summary"])
        if outcome["change_set_id"] is not None and screen_changes:
            lines.append(delta_rescreen(outcome["change_set_id"]))
            logger.info(lines[-1])
    _summary_artifact(lines, failures)
    if failures:
        raise ListsNotRefreshed("; ".join(failures))
    return lines


def _summary_artifact(lines: list[str], failures: list[str]) -> None:
    rows = [f"| done | {line} |" for line in lines] + [f"| **failed** | {f} |" for f in failures]
    create_markdown_artifact(
        key="refresh-lists-summary",
        markdown="\n".join(["# Sanctions list refresh", "", "| | |", "|---|---|", *rows]),
        description="What each source's refresh did",
    )
