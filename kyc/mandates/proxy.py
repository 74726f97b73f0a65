"""The findings of a special proxy (volmacht / procuration): does it name the person, the
act, and the check date? Whether its grantor may bind the company is the mandate check
itself (:meth:`kyc.mandates.check.MandateChecker.check`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from kyc.mandates.model import RANK, MandatePolicy, MandateVerdict, Proxy, finding_dict, verdict_of
from kyc.registry.verify import Finding, Severity


def grantor_finding(verdict: MandateVerdict, name: str, evidence: dict[str, Any]) -> Finding:
    if verdict is MandateVerdict.VALID:
        return Finding(
            "proxy.grantor_valid",
            Severity.INFO,
            f"the grantor {name} may bind the company",
            evidence,
        )
    if verdict is MandateVerdict.NEEDS_REVIEW:
        return Finding(
            "proxy.grantor_needs_review",
            Severity.REVIEW,
            f"whether the grantor {name} may bind the company needs review",
            evidence,
        )
    return Finding(
        "proxy.grantor_invalid",
        Severity.FAIL,
        f"the grantor {name} may not bind the company: the proxy grants nothing",
        evidence,
    )


def validity_finding(proxy: Proxy, as_of: date) -> Finding:
    evidence = {
        "valid_from": proxy.valid_from.isoformat(),
        "valid_until": proxy.valid_until.isoformat() if proxy.valid_until else None,
        "as_of": as_of.isoformat(),
    }
    if proxy.valid_from > as_of:
        return Finding(
            "proxy.not_yet_valid",
            Severity.FAIL,
            f"the proxy is valid from {proxy.valid_from}",
            evidence,
        )
    if proxy.valid_until is not None and proxy.valid_until < as_of:
        return Finding(
            "proxy.expired", Severity.FAIL, f"the proxy expired on {proxy.valid_until}", evidence
        )
    return Finding("proxy.current", Severity.INFO, f"the proxy is valid on {as_of}", evidence)


def grantee_finding(
    declared: str, grantee: str, score: float, detail: str, policy: MandatePolicy
) -> Finding:
    evidence = {"grantee": grantee, "declared": declared, "score": score, "detail": detail}
    if score >= policy.name_threshold:
        return Finding("proxy.grantee", Severity.INFO, f"the proxy names {grantee}", evidence)
    severity = Severity.REVIEW if score >= policy.name_review_threshold else Severity.FAIL
    return Finding(
        "proxy.grantee_mismatch",
        severity,
        f"the proxy names {grantee}, not clearly {declared} (score {score:.2f})",
        evidence,
    )


def scope_finding(scope: tuple[str, ...], acts: tuple[str, ...]) -> Finding:
    names_act = any(act.casefold() in item.casefold() for item in scope for act in acts)
    evidence = {"scope": list(scope), "acts_required": list(acts)}
    if names_act:
        return Finding(
            "proxy.scope", Severity.INFO, "the proxy names the Peppol registration", evidence
        )
    return Finding(
        "proxy.scope_missing",
        Severity.FAIL,
        "the proxy's scope does not name the Peppol registration",
        evidence,
    )


def better_of(
    own: list[Finding], through_proxy: Callable[[], list[Finding]]
) -> tuple[MandateVerdict, list[Finding]]:
    """The better of the person's own mandate and the proxy (judged only when the own
    mandate is not valid); the other path in one finding's evidence."""
    own_verdict = verdict_of(own)
    if own_verdict is MandateVerdict.VALID:
        note = Finding(
            "proxy.not_needed",
            Severity.INFO,
            "the person's own function suffices; the proxy was not needed",
        )
        return own_verdict, [*own, note]
    through = through_proxy()
    proxy_verdict = verdict_of(through)
    if RANK[proxy_verdict] > RANK[own_verdict]:
        summary = Finding(
            "mandate.own_function",
            Severity.INFO,
            f"without the proxy the person's own mandate is {own_verdict}",
            {"findings": [finding_dict(f) for f in own]},
        )
        return proxy_verdict, [*through, summary]
    # Not informative only: a reviewer must see why the proxy fails. The verdict is
    # already needs_review or invalid, which a review finding does not change.
    reasons = "; ".join(f.message for f in through if f.severity is not Severity.INFO)
    summary = Finding(
        "proxy.not_sufficient",
        Severity.REVIEW,
        f"the proxy does not help ({proxy_verdict}: {reasons})",
        {"findings": [finding_dict(f) for f in through]},
    )
    return own_verdict, [*own, summary]
