"""The findings of a special proxy (volmacht / procuration): does it name the person, the
act, and the check date? Whether its grantor may bind the company is the mandate check
itself (:meth:`kyc.mandates.check.MandateChecker.check`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from kyc.mandates.model import MandatePolicy, MandateVerdict, Proxy
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
