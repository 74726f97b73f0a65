"""The Great Expectations suite each imported extract is checked with, in the database.

After an import, every register table is validated where it lies (each expectation is a
query: millions of rows are never read out): number formats and check digits, codes the
extract's own ``code.csv`` knows, required dates, and whether the rows of one table
find the entity they belong to in another. The importer already refuses malformed rows,
so a finding of the first kinds means a code table that lacks a code, or a fault worth a
look; a row whose entity is absent is common in real extracts (a branch of an
enterprise struck off, a partial extract) and is a warning.

The findings go next to the register version, in ``<data_dir>/register/<version>.quality.html``,
which links to Great Expectations' own human-readable page of each table.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc import quality
from kyc.quality import reason
from kyc.store.models import KboCode, KboEstablishment

if TYPE_CHECKING:
    from great_expectations.expectations import Expectation


# Whether a row's entity (its ``key``) is in the register, as anti-joins (NOT EXISTS):
# both databases run them as one pass over indexes, where NOT IN over millions may not.
def _absent(table: str, column: str, key: str) -> str:
    return f"NOT EXISTS (SELECT 1 FROM {table} x WHERE x.{column} = r.{key})"


_ANY_ENTITY = " AND ".join(
    _absent(table, column, "entity_number")
    for table, column in (
        ("kbo_enterprises", "enterprise_number"),
        ("kbo_establishments", "establishment_number"),
        ("kbo_branches", "branch_id"),
    )
)
_ENTERPRISE = _absent("kbo_enterprises", "enterprise_number", "enterprise_number")
WARNING = quality.WARNING
ERROR = quality.ERROR


_TABLE_STYLE = (
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .8em;text-align:left}"
)


@dataclass(frozen=True)
class Finding:
    table: str
    severity: str
    message: str


@dataclass(frozen=True)
class RegisterQuality:
    reports: tuple[quality.QualityReport, ...]
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        return sum(finding.severity == ERROR for finding in self.findings)

    @property
    def warnings(self) -> int:
        return sum(finding.severity == WARNING for finding in self.findings)

    def write_html(self, index: Path, title: str) -> None:
        """``index`` (``…/<version>.quality.html``): the findings and one line per table,
        linking to Great Expectations' own page of each table in ``<version>.quality/``."""
        pages = index.with_name(index.name.removesuffix(".html"))
        pages.mkdir(parents=True, exist_ok=True)
        for report in self.reports:
            (pages / f"{report.suite}.html").write_text(report.html(), encoding="utf-8")
        index.write_text(self._index_page(title, pages.name), encoding="utf-8")

    def _index_page(self, title: str, pages: str) -> str:
        tables = "".join(
            f'<tr><td><a href="{escape(pages)}/{escape(r.suite)}.html">{escape(r.suite)}</a>'
            f"</td><td>{r.evaluated}</td><td>{r.failed}</td>"
            f"<td>{'passed' if r.success else 'findings'}</td></tr>"
            for r in self.reports
        )
        findings = "".join(
            f"<li><b>{escape(f.severity)}</b> {escape(f.table)}: {escape(f.message)}</li>"
            for f in self.findings
        )
        body = (
            f"<p>{escape(self.lines()[0].strip())}</p>"
            f"<ul>{findings or '<li>no findings</li>'}</ul>"
            "<table><tr><th>table</th><th>checks</th><th>failed</th><th>result</th></tr>"
            f"{tables}</table>"
        )
        return quality.html_page(title, body, _TABLE_STYLE)

    def summary(self) -> dict[str, Any]:
        return {
            "checks": sum(report.evaluated for report in self.reports),
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [vars(finding) for finding in self.findings],
        }

    def lines(self) -> list[str]:
        head = (
            f"  quality: {sum(r.evaluated for r in self.reports)} checks, "
            f"{self.errors} errors, {self.warnings} warnings"
        )
        return [head, *(f"    {f.severity}: {f.table}: {f.message}" for f in self.findings)]


def check_register(
    codes: dict[str, list[str]],
    database_url: str,
    with_activities: bool,
    enterprises: Collection[str] | None = None,
    entities: Collection[str] = (),
) -> RegisterQuality:
    """Validate every register table (activities only if they are imported) against the
    ``codes`` of the register's code table (:func:`known_codes`): every row, or only the
    rows of ``enterprises`` and of ``entities`` (:func:`with_establishments`) — what an
    UPDATE changed."""
    scope = _Scope(enterprises, entities)
    reports, findings = [], []
    for table, key, expectations in _suites(codes, with_activities, scope):
        report = quality.validate_table(database_url, table, expectations, scope.rows(key))
        reports.append(report)
        findings.extend(_findings(table, report))
    return RegisterQuality(tuple(reports), tuple(findings))


@dataclass(frozen=True)
class _Scope:
    """Which rows a check looks at: all, or those of some entities (enterprises and
    their establishments), listed in the query — a plain list both databases hash."""

    enterprises: Collection[str] | None
    entities: Collection[str] = ()

    def rows(self, key: str, alias: str = "") -> str | None:
        """A condition on ``key`` (a column of the table, through ``alias``)."""
        if self.enterprises is None:
            return None
        numbers = self.entities if key == "entity_number" else self.enterprises
        # Validated ten-digit numbers: safe to write into the query.
        listed = ", ".join(f"'{number}'" for number in sorted(numbers)) or "''"
        return f"{alias}{key} IN ({listed})"


def with_establishments(session: Session, enterprises: Collection[str]) -> list[str]:
    """The enterprises and their establishments (whose rows name the establishment)."""
    numbers = sorted(enterprises)
    units: list[str] = []
    for start in range(0, len(numbers), 500):
        chunk = numbers[start : start + 500]
        units.extend(
            session.scalars(
                select(KboEstablishment.establishment_number).where(
                    KboEstablishment.enterprise_number.in_(chunk)
                )
            )
        )
    return [*numbers, *units]


def _findings(table: str, report: quality.QualityReport) -> list[Finding]:
    return [Finding(table, found.severity, found.message) for found in report.table_findings]


def known_codes(session: Session) -> dict[str, list[str]]:
    """Every code of each category of the register's code table."""
    known: dict[str, list[str]] = {}
    for category, code in session.execute(select(KboCode.category, KboCode.code).distinct()):
        known.setdefault(category, []).append(code)
    return known


def _suites(
    codes: dict[str, list[str]], with_activities: bool, scope: _Scope
) -> list[tuple[str, str, list[Expectation]]]:
    import great_expectations.expectations as gxe

    def number(column: str, kind: str) -> list[Expectation]:
        return [
            gxe.ExpectColumnValueLengthsToEqual(
                column=column, value=10, meta=reason(f"an {kind} number is not ten digits")
            ),
            gxe.UnexpectedRowsExpectation(
                unexpected_rows_query=(
                    f"SELECT * FROM {{batch}} WHERE 97 - CAST(substr({column}, 1, 8) AS BIGINT)"
                    f" % 97 != CAST(substr({column}, 9, 2) AS BIGINT)"
                ),
                meta=reason(f"an {kind} number fails its mod-97 check"),
            ),
        ]

    def known(column: str, category: str) -> Expectation:
        return gxe.ExpectColumnValuesToBeInSet(
            column=column,
            value_set=codes.get(category, []),
            meta=reason(f"a {column} is not a {category} code of code.csv"),
        )

    def belongs(table: str, condition: str, what: str) -> Expectation:
        # The orphans are found by the anti-join over the table (its rows ``r``), then
        # picked out of the batch: the batch is a subquery that cannot be named.
        key = "enterprise_number" if condition is _ENTERPRISE else "entity_number"
        scoped = scope.rows(key, "r.")
        within = f"{scoped} AND " if scoped else ""
        orphans = f"SELECT r.{key} FROM {table} r WHERE {within}{condition}"
        return gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=f"SELECT * FROM {{batch}} WHERE {key} IN ({orphans})",
            # Common in real extracts (a branch of an enterprise struck off, a partial
            # extract): worth a look, not a fault of the import.
            meta=reason(
                f"a row names an entity that is not in the register ({what})", severity=WARNING
            ),
        )

    def required(column: str) -> Expectation:
        return gxe.ExpectColumnValuesToNotBeNull(column=column, meta=reason(f"{column} is empty"))

    suites: list[tuple[str, str, list[Expectation]]] = [
        (
            "kbo_enterprises",
            "enterprise_number",
            [
                *number("enterprise_number", "enterprise"),
                known("status", "Status"),
                known("juridical_situation", "JuridicalSituation"),
                known("type_of_enterprise", "TypeOfEnterprise"),
                known("juridical_form", "JuridicalForm"),
                required("start_date"),
            ],
        ),
        (
            "kbo_establishments",
            "enterprise_number",
            [
                *number("establishment_number", "establishment"),
                required("start_date"),
                belongs("kbo_establishments", _ENTERPRISE, "its enterprise"),
            ],
        ),
        (
            "kbo_denominations",
            "entity_number",
            [
                known("language", "Language"),
                known("type_of_denomination", "TypeOfDenomination"),
                belongs("kbo_denominations", _ANY_ENTITY, "an enterprise, establishment or branch"),
            ],
        ),
        (
            "kbo_addresses",
            "entity_number",
            [
                known("type_of_address", "TypeOfAddress"),
                belongs("kbo_addresses", _ANY_ENTITY, "an enterprise, establishment or branch"),
            ],
        ),
        (
            "kbo_contacts",
            "entity_number",
            [
                known("entity_contact", "EntityContact"),
                known("contact_type", "ContactType"),
                belongs("kbo_contacts", _ANY_ENTITY, "an enterprise, establishment or branch"),
            ],
        ),
        (
            "kbo_branches",
            "enterprise_number",
            [required("start_date"), belongs("kbo_branches", _ENTERPRISE, "its enterprise")],
        ),
    ]
    if with_activities:
        suites.append(
            (
                "kbo_activities",
                "entity_number",
                [
                    known("activity_group", "ActivityGroup"),
                    known("classification", "Classification"),
                    belongs("kbo_activities", _ANY_ENTITY, "an enterprise or establishment"),
                ],
            )
        )
    return suites
