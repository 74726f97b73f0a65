"""Benchmark: name-matching quality on OpenSanctions' labelled pairs and cross-script pairs.

Run with ``.venv/bin/python benchmarks/name_quality.py [--threshold X] [--sweep]``.
Scores every pair of ``../shared/realdata/matching/name_bench_cases.csv`` with the
matcher's name comparison, and reports precision, recall and F1 at the threshold —
overall, for persons, for organisations, per quality tier — beside the frozen scores of
OpenSanctions' logic-v2 on the same pairs at its own 0.70 threshold; then recall on
``cross_script_pairs.csv``. Writes ``benchmarks/results/name_quality.md``.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MATCHING = ROOT.parent / "shared" / "realdata" / "matching"
RESULTS = ROOT / "benchmarks" / "results" / "name_quality.md"
REFERENCE_THRESHOLD = 0.70


@dataclass(frozen=True)
class Case:
    group: str
    schema: str
    name1: str
    name2: str
    match: bool
    quality: str
    reference: float | None


def load_cases() -> list[Case]:
    reference: dict[tuple[str, str, str, str], float] = {}
    with (MATCHING / "name_bench_logicv2-frozen.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["case_group"], row["schema"], row["name1"], row["name2"])
            reference[key] = float(row["score"])
    with (MATCHING / "name_bench_cases.csv").open(newline="") as handle:
        return [
            Case(
                row["case_group"],
                row["schema"],
                row["name1"],
                row["name2"],
                row["is_match"].strip().lower() == "true",
                row["quality"] or "MEDIUM",
                reference.get((row["case_group"], row["schema"], row["name1"], row["name2"])),
            )
            for row in csv.DictReader(handle)
        ]


def our_scorer() -> Callable[[str, str, str], float]:
    from kyc.matching.engine import compare_names

    def score(name1: str, name2: str, schema: str) -> float:
        kind = "person" if schema == "Person" else "organization"
        return compare_names(name1, name2, kind)[0]

    return score


@dataclass(frozen=True)
class Counts:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def correct(self) -> int:
        return self.tp + self.tn


def count(pairs: Iterable[tuple[float, bool]], threshold: float) -> Counts:
    tp = fp = fn = tn = 0
    for score, match in pairs:
        predicted = score >= threshold
        tp += predicted and match
        fp += predicted and not match
        fn += (not predicted) and match
        tn += (not predicted) and not match
    return Counts(tp, fp, fn, tn)


def slices(cases: list[Case]) -> dict[str, list[Case]]:
    return {
        "all": cases,
        "persons": [c for c in cases if c.schema == "Person"],
        "organisations": [c for c in cases if c.schema != "Person"],
        "STRONG": [c for c in cases if c.quality == "STRONG"],
        "MEDIUM": [c for c in cases if c.quality == "MEDIUM"],
        "WEAK": [c for c in cases if c.quality == "WEAK"],
    }


def cross_script(
    score: Callable[[str, str, str], float], threshold: float
) -> list[tuple[str, str, float, bool]]:
    rows = []
    with (MATCHING / "cross_script_pairs.csv").open(newline="") as handle:
        for row in csv.reader(line for line in handle if line.strip() and not line.startswith("#")):
            query, expected = row[0], row[1]
            value = score(query, expected, "Person")
            rows.append((query, expected, value, value >= threshold))
    return rows


def report(cases: list[Case], scores: dict[int, float], threshold: float) -> str:
    lines = [
        "# Name-matching quality",
        "",
        "Produced by `benchmarks/name_quality.py`; do not edit by hand.",
        "",
        f"OpenSanctions' labelled pairs ({len(cases)}, of which "
        f"{sum(c.reference is not None for c in cases)} carry a frozen logic-v2 score). Ours at "
        f"the default threshold {threshold}; logic-v2 at its {REFERENCE_THRESHOLD}, on the "
        "pairs it scored.",
        "",
        "| slice | pairs | ours P | ours R | ours F1 | ours correct "
        "| logic-v2 P | logic-v2 R | logic-v2 F1 | logic-v2 correct |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, group in slices(cases).items():
        ours = count(((scores[id(c)], c.match) for c in group), threshold)
        ref_cases = [c for c in group if c.reference is not None]
        ref = count(((c.reference or 0.0, c.match) for c in ref_cases), REFERENCE_THRESHOLD)
        ours_on_ref = count(((scores[id(c)], c.match) for c in ref_cases), threshold)
        lines.append(
            f"| {name} | {len(group)} | {ours.precision:.3f} | {ours.recall:.3f} | "
            f"**{ours.f1:.3f}** | {ours_on_ref.correct}/{len(ref_cases)} | {ref.precision:.3f} | "
            f"{ref.recall:.3f} | {ref.f1:.3f} | {ref.correct}/{len(ref_cases)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--sweep", action="store_true", help="F1 at thresholds 0.70–0.95")
    parser.add_argument("--misses", type=int, default=0, help="print the N worst cases")
    args = parser.parse_args()
    from kyc.settings import Settings

    threshold = args.threshold if args.threshold is not None else Settings().review_threshold
    score = our_scorer()
    cases = load_cases()
    scores = {id(c): score(c.name1, c.name2, c.schema) for c in cases}
    if args.sweep:
        for step in range(70, 96):
            t = step / 100
            print(t, f"{count(((scores[id(c)], c.match) for c in cases), t).f1:.3f}")
    if args.misses:
        wrong = [c for c in cases if (scores[id(c)] >= threshold) != c.match]
        wrong.sort(key=lambda c: (c.quality != "STRONG", -abs(scores[id(c)] - threshold)))
        for c in wrong[: args.misses]:
            label = f"{c.match!s:5} {c.quality:6} {c.schema:12}"
            print(f"{scores[id(c)]:.2f} {label} {c.name1!r} ~ {c.name2!r}")
    text = report(cases, scores, threshold)
    rows = cross_script(score, threshold)
    reached = sum(r[3] for r in rows)
    text += (
        f"\n\n## Cross-script pairs\n\nRecall at {threshold}: {reached}/{len(rows)}.\n\n"
        "| query | expected | score | found |\n|---|---|---:|---|\n"
        + "\n".join(f"| {q} | {e} | {s:.2f} | {'yes' if f else 'no'} |" for q, e, s, f in rows)
        + "\n"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
