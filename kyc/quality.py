"""Great Expectations suites as code, and one ``validate`` that turns a run into findings.

Each expectation carries ``meta=reason(...)``: the sentence a user reads next to the
record that broke it, and how grave breaking it is (an error unless it says warning).
Columns that hold secrets never reach a suite; callers pass a derived flag instead (for
instance ``national_number_ok``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations.expectations import Expectation

SuiteBuilder = Callable[[], "list[Expectation]"]


@dataclass(frozen=True)
class RowFinding:
    row: Any
    column: str | None
    reason: str


ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class TableFinding:
    """A failure not tied to rows: a count of rows over the table, or a check that failed."""

    message: str
    severity: str = ERROR


@dataclass(frozen=True)
class QualityReport:
    suite: str
    success: bool
    evaluated: int
    failed: int
    row_findings: tuple[RowFinding, ...]
    table_findings: tuple[TableFinding, ...]
    result: Any = None

    def html(self) -> str:
        """Great Expectations' own human-readable page for this validation."""
        from great_expectations.render.renderer import ValidationResultsPageRenderer
        from great_expectations.render.view import DefaultJinjaPageView

        renderer: Any = ValidationResultsPageRenderer()  # untyped in Great Expectations
        view: Any = DefaultJinjaPageView()
        return str(view.render(renderer.render(self.result)))

    def summary(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "success": self.success,
            "evaluated": self.evaluated,
            "failed": self.failed,
        }

    def reasons_by_reason(self) -> dict[str, list[Any]]:
        grouped: dict[str, list[Any]] = {}
        for finding in self.row_findings:
            grouped.setdefault(finding.reason, []).append(finding.row)
        return grouped

    def reasons_by_row(self) -> dict[Any, list[str]]:
        grouped: dict[Any, list[str]] = {}
        for finding in self.row_findings:
            grouped.setdefault(finding.row, []).append(finding.reason)
        return grouped


def _context() -> Any:
    # Offline by design: no usage statistics, no progress bars on the user's terminal.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def validate(frame: pd.DataFrame, suite_name: str, build: SuiteBuilder) -> QualityReport:
    """Run the suite ``build()`` returns over ``frame``; map failures back to its rows."""
    context = _context()
    batch = (
        context.data_sources.add_pandas(suite_name)
        .add_dataframe_asset(suite_name)
        .add_batch_definition_whole_dataframe(suite_name)
        .get_batch(batch_parameters={"dataframe": frame})
    )
    return _validated(batch, suite_name, build(), "COMPLETE")


def validate_table(
    database_url: str, table: str, expectations: list[Expectation], where: str | None = None
) -> QualityReport:
    """Run ``expectations`` in the database itself, over a whole table or the rows
    ``where`` selects: each becomes a query, so tables of millions of rows are checked
    without reading them out."""
    source = _sql_source(_context(), table, database_url)
    batch = None
    try:
        if where is None:
            asset = source.add_table_asset(table, table_name=table)
            definition = asset.add_batch_definition_whole_table(table)
        else:
            asset = source.add_query_asset(table, query=f"SELECT * FROM {table} WHERE {where}")
            definition = asset.add_batch_definition_whole_table(table)
        batch = definition.get_batch()
        return _validated(batch, table, expectations, "SUMMARY")
    finally:
        # Great Expectations leaves its connections open, in the data source's engine and
        # in the one its execution engine makes for the batch, until garbage collection.
        source.get_engine().dispose()
        execution = getattr(getattr(batch, "data", None), "execution_engine", None)
        if execution is not None:
            execution.engine.dispose()


def _sql_source(context: Any, name: str, database_url: str) -> Any:
    """The data source made for this database (the generic one warns about it)."""
    sources = context.data_sources
    if database_url.startswith("sqlite"):
        return sources.add_sqlite(name, connection_string=database_url)
    if database_url.startswith("postgresql"):
        return sources.add_postgres(name, connection_string=database_url)
    return sources.add_sql(name, connection_string=database_url)


def _validated(
    batch: Any, suite_name: str, expectations: list[Expectation], result_format: str
) -> QualityReport:
    import great_expectations as gx

    suite = gx.ExpectationSuite(name=suite_name, expectations=expectations)
    result = batch.validate(suite, result_format=result_format)
    rows: list[RowFinding] = []
    table: list[TableFinding] = []
    failed = 0
    for outcome in result.results:
        if outcome.success:
            continue
        failed += 1
        config = outcome.expectation_config
        meta = config.meta or {}
        reason = str(meta.get("reason", config.type))
        column = config.kwargs.get("column")
        if outcome.exception_info and outcome.exception_info.get("raised_exception"):
            table.append(TableFinding(f"{reason} (the check could not run)"))
            continue
        indexes: Sequence[Any] = outcome.result.get("unexpected_index_list") or []
        if not indexes:
            severity = str(meta.get("severity", ERROR))
            table.append(TableFinding(_counted(reason, outcome.result), severity))
        rows.extend(RowFinding(row=i, column=column, reason=reason) for i in indexes)
    return QualityReport(
        suite=suite_name,
        success=bool(result.success),
        evaluated=len(result.results),
        failed=failed,
        row_findings=tuple(rows),
        table_findings=tuple(table),
        result=result,
    )


def _counted(reason: str, result: dict[str, Any]) -> str:
    """The reason, with how many rows broke it when the check says (SQL checks do)."""
    count = result.get("unexpected_count")
    if count is None and isinstance(result.get("observed_value"), int):
        count = result["observed_value"]
    return f"{reason} ({count:,} rows)" if count else reason


# --- suites ----------------------------------------------------------------------

ENTERPRISE_PATTERN = r"^[01][0-9]{9}$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
BIRTH_DATE_PATTERN = r"^[0-9]{4}(?:-[0-9]{2}-[0-9]{2})?$"


def reason(text: str, *, severity: str = ERROR) -> dict[str, str]:
    """An expectation's meta: what a user reads when it fails, and how grave that is."""
    return {"reason": text, "severity": severity}


def company_suite() -> list[Expectation]:
    """Companies of a customer import or onboarding payload (one row per company)."""
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToNotBeNull(
            column="enterprise_number", meta=reason("the enterprise number is missing")
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="enterprise_number",
            regex=ENTERPRISE_PATTERN,
            meta=reason("the enterprise number is not 10 digits starting with 0 or 1"),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="enterprise_number_checksum_ok",
            value_set=[True],
            meta=reason("the enterprise number fails its mod-97 check"),
        ),
        gxe.ExpectColumnValuesToBeUnique(
            column="enterprise_number",
            meta=reason("the enterprise number appears more than once in the file"),
        ),
        gxe.ExpectColumnValuesToBeUnique(
            column="customer_ref", meta=reason("the customer_ref appears more than once")
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="name", meta=reason("the company name is missing")
        ),
        gxe.ExpectColumnValueLengthsToBeBetween(
            column="name",
            min_value=2,
            max_value=300,
            meta=reason("the company name is shorter than 2 or longer than 300 characters"),
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="country",
            regex=COUNTRY_PATTERN,
            meta=reason("the country is not ISO 3166 alpha-2"),
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="postcode",
            regex=r"^[0-9A-Za-z][0-9A-Za-z -]{1,9}$",
            meta=reason("the postcode is not a postcode"),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="peppol_id_ok",
            value_set=[True],
            meta=reason(
                "the Peppol id is not 0208:<enterprise number> or 9925:BE<enterprise number> "
                "of this company"
            ),
        ),
    ]


def representative_suite() -> list[Expectation]:
    """Declared representatives (one row per person)."""
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToNotBeNull(
            column="first_name", meta=reason("a representative's first name is missing")
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="last_name", meta=reason("a representative's last name is missing")
        ),
        gxe.ExpectColumnValueLengthsToBeBetween(
            column="last_name",
            min_value=1,
            max_value=200,
            meta=reason("a representative's last name is longer than 200 characters"),
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="birth_date",
            regex=BIRTH_DATE_PATTERN,
            meta=reason("a birth date is not YYYY-MM-DD or YYYY"),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="birth_date_ok",
            value_set=[True],
            meta=reason("a birth date is not a real date"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="birth_year",
            min_value=1900,
            max_value=date.today().year,
            meta=reason("a birth year is before 1900 or in the future"),
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="nationality",
            regex=COUNTRY_PATTERN,
            meta=reason("a nationality is not ISO 3166 alpha-2"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="role", meta=reason("a representative's role is missing")
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="national_number_ok",
            value_set=[True],
            meta=reason("a national number fails its format, date or check digits"),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="national_number_matches_birth_date",
            value_set=[True],
            meta=reason("a national number does not encode the declared birth date"),
        ),
    ]


def list_entry_suite(id_pattern: str, min_entries: int, max_entries: int) -> SuiteBuilder:
    """The entries of one list version: identity, kind, plausible size."""

    def build() -> list[Expectation]:
        import great_expectations.expectations as gxe

        return [
            gxe.ExpectTableRowCountToBeBetween(
                min_value=min_entries,
                max_value=max_entries,
                meta=reason(
                    f"the number of entries is outside the plausible range "
                    f"{min_entries}–{max_entries} (truncated or partial publication?)"
                ),
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="entry_id", meta=reason("an entry has no identifier")
            ),
            gxe.ExpectColumnValuesToBeUnique(
                column="entry_id", meta=reason("an entry identifier appears more than once")
            ),
            gxe.ExpectColumnValuesToMatchRegex(
                column="entry_id",
                regex=id_pattern,
                meta=reason(f"an entry identifier does not look like {id_pattern}"),
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="kind",
                value_set=["person", "organization"],
                meta=reason("an entry's kind is neither person nor organization"),
            ),
        ]

    return build


def list_dates_suite() -> list[Expectation]:
    """Every date the publisher wrote, as written: it must be readable."""
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToBeInSet(
            column="parses", value_set=[True], meta=reason("a date does not parse")
        ),
    ]


def html_page(title: str, body: str, style: str = "") -> str:
    """A whole HTML document: the title as heading, then ``body`` (already escaped)."""
    from html import escape

    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>body{{font-family:sans-serif;margin:2em}}"
        f"{style}</style></head><body><h1>{escape(title)}</h1>{body}</body></html>\n"
    )


def single_page(title: str, reports: Sequence[QualityReport]) -> str:
    """One HTML document holding Great Expectations' page of each report, each in a frame
    of its own (every page is a whole document, with its own styles)."""
    from html import escape

    sections = "".join(
        f"<h2>{escape(report.suite)}: {'passed' if report.success else 'findings'} "
        f"({report.evaluated} checks, {report.failed} failed)</h2>"
        f'<iframe title="{escape(report.suite)}" srcdoc="{escape(report.html())}"></iframe>'
        for report in reports
    )
    return html_page(title, sections, "iframe{width:100%;height:80vh;border:1px solid #ccc}")
