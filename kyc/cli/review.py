"""``kyc review``: the review queue, and decisions under four eyes."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kyc.cli.common import err, out, print_json, print_table, usage_error, with_runtime
from kyc.review.kinds import DecisionKind

if TYPE_CHECKING:
    from kyc.app.runtime import Runtime
    from kyc.review.decisions import HistoryStep, HitView

review_app = typer.Typer(help="Review hits and record decisions.", no_args_is_help=True)

STATES = ("open", "proposed", "decided", "closed", "all")
HIT_ID = Annotated[int, typer.Argument(help="The hit's number (see `kyc review list`).")]
REVIEWER_HELP = "Who acts: an active account (`kyc users list`) whose role allows it."


@review_app.command("list")
def review_list(
    state: Annotated[str, typer.Option(help=f"{', '.join(STATES)}.")] = "open",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Hits in one state (by default those waiting for a decision), best score first."""
    from rich.table import Table

    from kyc.app import review as review_jobs

    if state not in STATES:
        err.print(f"error: --state is one of {', '.join(STATES)}")
        raise typer.Exit(code=1)
    wanted = None if state == "all" else state
    hits = with_runtime(lambda runtime: review_jobs.hits(runtime, wanted))
    if as_json:
        print_json([hit.to_dict() for hit in hits])
        return
    table = Table("hit", "state", "subject", "kind", "source", "entry", "listed name", "score")
    for hit in hits:
        table.add_row(
            str(hit.id),
            hit.state + (f" ({hit.decision})" if hit.decision else ""),
            hit.subject_name + (" [restricted]" if hit.restricted else ""),
            hit.subject_kind,
            hit.source,
            hit.entry_id,
            hit.matched_name,
            f"{hit.score:.3f}",
        )
    print_table(table)
    out.print(f"{len(hits)} hit(s); decide with `kyc review decide HIT_ID --decision ...`")


@review_app.command("show")
def review_show(
    hit_id: HIT_ID,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """One hit: the subject and the list entry, the score and every feature of its
    explanation, the decisions on it and the pair's history."""
    from kyc.app import review as review_jobs

    hit, history = with_runtime(lambda runtime: review_jobs.hit(runtime, hit_id))
    if as_json:
        print_json({**hit.to_dict(), "history": [step.__dict__ for step in history]})
        return
    _print_hit(hit, history)


def _print_hit(hit: HitView, history: list[HistoryStep]) -> None:
    out.print(f"hit {hit.id} [{hit.state}{f', {hit.decision}' if hit.decision else ''}]")
    out.print(f"  subject:  {hit.subject_name} ({hit.subject_kind}, {hit.subject_id})")
    if hit.restricted:
        out.print("  RESTRICTED: processing is restricted (GDPR Art. 18); this read is recorded")
    out.print(f"  entry:    {hit.source} {hit.entry_id} {hit.entry_name}")
    out.print(f"  matched:  {hit.matched_name}")
    if hit.entry is not None:
        entry = hit.entry
        born = ", ".join(str(d) for d in entry.birth_dates) or "-"
        out.print(f"  born:     {born}")
        out.print(f"  nationality: {', '.join(entry.nationalities) or '-'}")
        out.print(f"  programme:   {', '.join(entry.programmes) or '-'}")
        out.print(f"  listed on:   {entry.listed_on or '-'}")
    published = f", published {hit.list_published_at:%Y-%m-%d}" if hit.list_published_at else ""
    out.print(f"  list version: {hit.list_version_id}{published}")
    out.print(f"  score:    {hit.score:.3f} (band {hit.band}), {hit.matcher}")
    for feature in hit.explanation.get("features", []):
        out.print(f"    {feature['contribution']:+.3f}  {feature['feature']}: {feature['detail']}")
    for d in hit.decisions:
        line = f"  decision {d.id}: {d.decision} by {d.reviewer} at {d.decided_at:%Y-%m-%d %H:%M}"
        out.print(f"{line} [{d.status}]: {d.reason}")
        if d.approver:
            what = "rejected" if d.status == "rejected" else "approved"
            note = f": {d.rejection_reason}" if d.rejection_reason else ""
            out.print(f"    {what} by {d.approver} at {d.approved_at:%Y-%m-%d %H:%M}{note}")
    for step in history:
        why = f" ({step.reason})" if step.reason else ""
        out.print(f"  {step.at:%Y-%m-%d %H:%M} {step.action} by {step.actor}: {step.outcome}{why}")


def _said(view: HitView) -> str:
    pending = view.pending
    if pending is not None:
        return (
            f"hit {view.id} ({view.subject_name} ~ {view.entry_name}): {pending.decision} "
            "proposed; it takes effect when an approver approves it "
            f"(`kyc review approve {view.id} --reviewer NAME`)"
        )
    state = view.decision or ("escalated" if view.escalated else view.state)
    return f"hit {view.id} ({view.subject_name} ~ {view.entry_name}): {state}"


@review_app.command("decide")
def review_decide(
    hit_id: HIT_ID,
    decision: Annotated[DecisionKind, typer.Option(help="true_match, false_positive or escalate.")],
    reason: Annotated[str, typer.Option(help="Why: recorded with the decision.")],
    reviewer: Annotated[str, typer.Option(help=REVIEWER_HELP)],
) -> None:
    """Decide a hit: true_match and false_positive are proposed, and take effect when a
    different user with the approver role approves; escalate takes effect at once."""
    from kyc.app import review as review_jobs

    view = with_runtime(
        lambda runtime: review_jobs.propose(
            runtime, hit_id, decision=decision, reason=reason, reviewer=reviewer
        )
    )
    out.print(_said(view))


@review_app.command("approve")
def review_approve(
    hit_id: HIT_ID, reviewer: Annotated[str, typer.Option(help=REVIEWER_HELP)]
) -> None:
    """Approve somebody else's proposal: the decision takes effect."""
    from kyc.app import review as review_jobs

    view = with_runtime(lambda runtime: review_jobs.approve(runtime, hit_id, approver=reviewer))
    out.print(_said(view))


@review_app.command("reject")
def review_reject(
    hit_id: HIT_ID,
    reviewer: Annotated[str, typer.Option(help=REVIEWER_HELP)],
    reason: Annotated[str, typer.Option(help="Why the proposal does not hold.")],
) -> None:
    """Reject somebody else's proposal, with a reason: the hit goes back to the queue."""
    from kyc.app import review as review_jobs

    view = with_runtime(
        lambda runtime: review_jobs.reject(runtime, hit_id, approver=reviewer, reason=reason)
    )
    out.print(_said(view))


@review_app.command("export")
def review_export(
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD, UTC).")],
    end: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD, UTC).")],
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write here instead of standard output.")
    ] = None,
) -> None:
    """The decisions of a period as CSV, for an auditor (subjects by pseudonymous id)."""
    from kyc.app import review as review_jobs

    first, last = _day(start, "--from"), _day(end, "--to")

    def run(runtime: Runtime) -> int:
        actor = runtime.settings.actor
        if out_file is None:
            return review_jobs.export_decisions(runtime, first, last, sys.stdout, exported_by=actor)
        with out_file.open("w", encoding="utf-8", newline="") as stream:
            return review_jobs.export_decisions(runtime, first, last, stream, exported_by=actor)

    count = with_runtime(run)
    if out_file is not None:
        out.print(f"{count} decisions written to {out_file}")


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise usage_error(f"{option} {text!r} is not a date (YYYY-MM-DD)") from None
