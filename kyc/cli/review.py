"""``kyc review``: the review queue and decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kyc.cli.common import err, out, print_json, print_table, with_runtime
from kyc.review.kinds import DecisionKind

if TYPE_CHECKING:
    from kyc.app.runtime import Runtime
    from kyc.review.decisions import HitView

review_app = typer.Typer(help="Review hits and record decisions.", no_args_is_help=True)


@review_app.command("list")
def review_list(
    state: Annotated[str, typer.Option(help="open, decided, closed or all.")] = "open",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Hits waiting for a decision (or in another state)."""
    from rich.table import Table

    from kyc.app import review as review_jobs

    if state not in ("open", "decided", "closed", "all"):
        err.print("error: --state is open, decided, closed or all")
        raise typer.Exit(code=1)

    wanted = None if state == "all" else state
    hits = with_runtime(lambda runtime: review_jobs.hits(runtime, wanted))
    if as_json:
        print_json([hit.__dict__ for hit in hits])
        return
    table = Table("hit", "state", "subject", "kind", "source", "entry", "listed name", "score")
    for hit in hits:
        table.add_row(
            str(hit.id),
            hit.state + (f" ({hit.decision})" if hit.decision else ""),
            hit.subject_name,
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
    hit_id: Annotated[int, typer.Argument(help="The hit's number (see `kyc review list`).")],
) -> None:
    """One hit with its explanation: every feature and its contribution to the score."""
    from kyc.app import review as review_jobs

    hit = with_runtime(lambda runtime: review_jobs.hit(runtime, hit_id))
    out.print(f"hit {hit.id} [{hit.state}{f', {hit.decision}' if hit.decision else ''}]")
    out.print(f"  subject:  {hit.subject_name} ({hit.subject_kind}, {hit.subject_id})")
    out.print(f"  entry:    {hit.source} {hit.entry_id} {hit.entry_name}")
    out.print(f"  matched:  {hit.matched_name}")
    out.print(f"  score:    {hit.score:.3f} (band {hit.band}), {hit.matcher}")
    for feature in hit.explanation.get("features", []):
        out.print(f"    {feature['contribution']:+.3f}  {feature['feature']}: {feature['detail']}")


@review_app.command("decide")
def review_decide(
    hit_id: Annotated[int, typer.Argument(help="The hit's number (see `kyc review list`).")],
    decision: Annotated[DecisionKind, typer.Option(help="true_match or false_positive.")],
    reason: Annotated[str, typer.Option(help="Why: recorded with the decision.")],
    reviewer: Annotated[str, typer.Option(help="Who decides: the analyst's name or id.")],
) -> None:
    """Record an analyst's decision on a hit, in the audit trail."""
    from kyc.app import review as review_jobs

    def run(runtime: Runtime) -> HitView:
        return review_jobs.decide_hit(
            runtime, hit_id, decision=decision, reason=reason, reviewer=reviewer
        )

    view = with_runtime(run)
    out.print(f"hit {view.id} ({view.subject_name} ~ {view.entry_name}): {view.decision}")
