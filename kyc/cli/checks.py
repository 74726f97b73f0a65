"""``decide``, ``approve`` and ``reject`` for the checks that are not hits (a mandate,
a company's register check): the same four-eyes rules as ``kyc review``."""

# No ``from __future__ import annotations``: Typer reads the commands' annotations, which
# name ``check_id``, a local of add_review_commands.
from typing import TYPE_CHECKING, Annotated

import typer

from kyc.cli.common import out, with_runtime

if TYPE_CHECKING:
    from kyc.app.runtime import Runtime

REVIEWER_HELP = "Who acts: an active account (`kyc users list`) whose role allows it."
DECISIONS = "confirmed (it holds: documents seen), not_confirmed, or escalate."


def add_review_commands(app: typer.Typer, kind: str, listing: str) -> None:
    """The three commands on ``app`` for checks of ``kind`` (mandate or company)."""
    CheckId = Annotated[  # noqa: N806 - a type, named as one
        int, typer.Argument(metavar="CHECK_ID", help=f"The {kind} check's number ({listing}).")
    ]

    @app.command("decide")
    def decide(
        check: CheckId,
        decision: Annotated[str, typer.Option(help=DECISIONS)],
        reason: Annotated[str, typer.Option(help="Why: recorded with the decision.")],
        reviewer: Annotated[str, typer.Option(help=REVIEWER_HELP)],
    ) -> None:
        """Decide a check a person must look at: confirmed and not_confirmed are proposed
        and take effect when a different approver approves; escalate at once."""
        from kyc.app import checks as check_jobs
        from kyc.cli.common import usage_error
        from kyc.review.checks import CheckDecisionKind, CheckKind

        def run(runtime: "Runtime") -> str:
            try:
                chosen = CheckDecisionKind(decision)
            except ValueError:
                raise usage_error(f"--decision is one of {DECISIONS}") from None
            return check_jobs.propose(
                runtime, CheckKind(kind), check, decision=chosen, reason=reason,
                reviewer=reviewer,
            )  # fmt: skip

        out.print(with_runtime(run))

    @app.command("approve")
    def approve(check: CheckId, reviewer: Annotated[str, typer.Option(help=REVIEWER_HELP)]) -> None:
        """Approve somebody else's proposal on a check: it takes effect."""
        from kyc.app import checks as check_jobs
        from kyc.review.checks import CheckKind

        out.print(with_runtime(lambda runtime: check_jobs.approve(
            runtime, CheckKind(kind), check, approver=reviewer)))  # fmt: skip

    @app.command("reject")
    def reject(
        check: CheckId,
        reviewer: Annotated[str, typer.Option(help=REVIEWER_HELP)],
        reason: Annotated[str, typer.Option(help="Why the proposal does not hold.")],
    ) -> None:
        """Reject somebody else's proposal on a check, with a reason."""
        from kyc.app import checks as check_jobs
        from kyc.review.checks import CheckKind

        out.print(with_runtime(lambda runtime: check_jobs.reject(
            runtime, CheckKind(kind), check, approver=reviewer, reason=reason)))  # fmt: skip
