from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy.orm import Session

from kyc.app.runtime import Runtime
from kyc.mandates.check import MandateChecker
from kyc.mandates.model import Declared, MandatePolicy, MandateResult, MandateVerdict, Proxy
from kyc.mandates.rules import rule_table
from kyc.matching.engine import compare_names
from kyc.model import PartialDate
from tests.kyc.mandates import register

TODAY = date(2026, 11, 25)
VALID, REVIEW, INVALID = (
    MandateVerdict.VALID,
    MandateVerdict.NEEDS_REVIEW,
    MandateVerdict.INVALID,
)


@pytest.fixture
def db(runtime: Runtime) -> Iterator[Session]:
    with runtime.sessions() as session, session.begin():
        register.extract(session)
        yield session


def _checker(session: Session, **policy: object) -> MandateChecker:
    return MandateChecker(session, compare_names, rule_table(), MandatePolicy(**policy))  # type: ignore[arg-type]


def _check(
    session: Session,
    number: str,
    first: str,
    last: str,
    role: str | None = None,
    *,
    as_of: date = TODAY,
    birth: str | None = None,
    proxy: Proxy | None = None,
    **policy: object,
) -> MandateResult:
    person = Declared(first, last, PartialDate.parse(birth) if birth else None, role=role)
    session.flush()
    return _checker(session, **policy).check(number, person, as_of, proxy)


def _codes(result: MandateResult) -> list[str]:
    return [finding.code for finding in result.findings]


# --- every legal form of the table with every function code ----------------------------

# What each function may do for each family, written out by hand from DOMAIN.md and the
# WVV/CSA (not read from the table under test). 80 and 81 never act for a company in a
# normal situation. Policy: daily management does not suffice.
_ALL_CODES = ["10", "11", "13", "14", "20", "30", "40", "60", "61", "63"]
_ALL_CODES += ["70", "71", "72", "73", "80", "81", "99"]
_CONTROL = dict.fromkeys(["60", "61", "63", "70", "71", "72", "73", "80", "81"], INVALID)
EXPECTED = {
    "BV / SRL (private limited company)": {
        **dict.fromkeys(["10", "11", "13", "20", "30"], VALID),
        "14": REVIEW,
        "40": INVALID,
    },
    "CV / SC (cooperative company)": {
        **dict.fromkeys(["10", "11", "13", "20", "30"], VALID),
        "14": REVIEW,
        "40": INVALID,
    },
    "NV / SA (public limited company, one-tier board)": {
        **dict.fromkeys(["10", "11", "13", "14", "20", "30"], REVIEW),
        "40": INVALID,
    },
    "VOF / SNC, CommV / SComm (partnerships)": {
        **dict.fromkeys(["20", "30"], VALID),
        **dict.fromkeys(["10", "11", "13", "14", "40"], REVIEW),
    },
    "VZW / ASBL, IVZW / AISBL, stichting / fondation (associations and foundations)": {
        **dict.fromkeys(["10", "11", "13", "14", "20", "30", "40"], REVIEW),
    },
    "ESV / GIE, EESV / GEIE (economic interest groupings)": {
        **dict.fromkeys(["13", "20", "30"], VALID),
        **dict.fromkeys(["10", "11", "14"], REVIEW),
        "40": INVALID,
    },
    "Landbouwvennootschap / société agricole": {
        **dict.fromkeys(["20", "30"], VALID),
        **dict.fromkeys(["10", "11", "13", "14"], REVIEW),
        "40": INVALID,
    },
}
# One person per function code, names far apart for the matcher.
HOLDERS = dict(
    zip(
        _ALL_CODES,
        [
            ("Anna", "Peeters"),
            ("Bart", "Janssens"),
            ("Chloé", "Maes"),
            ("David", "Jacobs"),
            ("Emma", "Mertens"),
            ("Filip", "Willems"),
            ("Greet", "Claes"),
            ("Hugo", "Goossens"),
            ("Ines", "Wouters"),
            ("Jules", "Dubois"),
            ("Karin", "Lambert"),
            ("Louis", "Dupont"),
            ("Marc", "Martin"),
            ("Nora", "Simon"),
            ("Olivier", "Laurent"),
            ("Paula", "Lejeune"),
            ("Quentin", "Leroy"),
        ],
        strict=True,
    )
)


def test_the_expected_matrix_covers_every_family_of_the_table() -> None:
    assert {family.name for family in rule_table().families} == set(EXPECTED)
    # Well-known forms sit in the family one expects.
    table = rule_table()
    for form, family in [("610", "BV"), ("014", "NV"), ("706", "CV"), ("017", "VZW")]:
        found = table.family(form)
        assert found is not None and found.name.startswith(family)


def test_every_legal_form_with_every_function_code(db: Session) -> None:
    seed = 0
    cases = []
    for family in rule_table().families:
        for form in sorted(family.legal_forms):
            seed += 1
            number = register.company(db, seed, form)
            for code, (first, last) in HOLDERS.items():
                register.function(db, number, code, first, last)
            cases.extend((family.name, form, number, code) for code in HOLDERS)
    mismatches = []
    for family, form, number, code in cases:
        first, last = HOLDERS[code]
        expected = {**_CONTROL, **EXPECTED[family]}.get(code, REVIEW)
        result = _check(db, number, first, last, code)
        if result.verdict is not expected:
            mismatches.append((form, code, str(result.verdict), _codes(result)))
    assert not mismatches
    assert len(cases) == sum(len(f.legal_forms) for f in rule_table().families) * len(HOLDERS)


def test_a_legal_form_outside_the_table_goes_to_review(db: Session) -> None:
    number = register.company(db, 1, "030")  # foreign company
    register.function(db, number, "30", "Jan", "Peeters")
    result = _check(db, number, "Jan", "Peeters", "30")
    assert result.verdict is REVIEW and "power.articles" in _codes(result)


def test_daily_management_is_a_policy(db: Session) -> None:
    number = register.company(db, 1, "610")
    register.function(db, number, "14", "Jan", "Peeters")
    assert _check(db, number, "Jan", "Peeters", "14").verdict is REVIEW
    allowed = _check(db, number, "Jan", "Peeters", "14", daily_management_suffices=True)
    assert allowed.verdict is VALID
    assert allowed.findings[-1].evidence["daily_management_suffices"] is True


def test_a_sole_director_of_an_nv_represents_alone(db: Session) -> None:
    number = register.company(db, 1, "014")
    register.function(db, number, "13", "Jan", "Peeters")
    register.function(db, number, "71", "Eva", "Smet")  # the auditor is not on the board
    result = _check(db, number, "Jan", "Peeters", "bestuurder")
    assert result.verdict is VALID and "power.sole_director" in _codes(result)
    register.function(db, number, "13", "Bart", "Janssens")
    board = _check(db, number, "Jan", "Peeters", "bestuurder")
    assert board.verdict is REVIEW and "power.collegially" in _codes(board)
    assert "board decision" in board.findings[-1].message


# --- dates on both sides of each boundary ----------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "verdict", "code"),
    [
        (date(2019, 12, 31), INVALID, "function.not_started"),
        (date(2020, 1, 1), VALID, "function.current"),
        (date(2024, 12, 31), VALID, "function.current"),
        (date(2025, 1, 1), INVALID, "function.ended"),
    ],
)
def test_function_dates(db: Session, as_of: date, verdict: MandateVerdict, code: str) -> None:
    number = register.company(db, 1, "610")
    register.function(
        db, number, "30", "Jan", "Peeters", begin=date(2020, 1, 1), end=date(2024, 12, 31)
    )
    result = _check(db, number, "Jan", "Peeters", "zaakvoerder", as_of=as_of)
    assert result.verdict is verdict and code in _codes(result)


def test_a_running_function_is_preferred_to_an_ended_one(db: Session) -> None:
    number = register.company(db, 1, "610")
    register.function(db, number, "30", "Jan", "Peeters", end=date(2018, 6, 30))
    register.function(db, number, "30", "Jan", "Peeters", begin=date(2021, 3, 1))
    result = _check(db, number, "Jan", "Peeters", "30")
    assert result.verdict is VALID
    assert result.findings[0].evidence["begin"] == "2021-03-01"


# --- the holder is the person -----------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "verdict", "code"),
    [
        ("Jan", "Peeters", VALID, "function.held"),
        ("Peeters", "Jan", VALID, "function.held"),  # order
        ("Jân", "Péeters", VALID, "function.held"),  # accents
        ("JAN", "PEETERS", VALID, "function.held"),
        ("J.", "Peeters", REVIEW, "function.weak_name_match"),  # an initial
        ("Jan", "Peters", REVIEW, "function.weak_name_match"),  # a typo is not a pass
        ("Johan", "Peeters", INVALID, "function.not_held"),
        ("Jan", "Janssens", INVALID, "function.not_held"),
    ],
)
def test_name_variants(
    db: Session, first: str, last: str, verdict: MandateVerdict, code: str
) -> None:
    number = register.company(db, 1, "610")
    register.function(db, number, "30", "Jan", "Peeters")
    result = _check(db, number, first, last, "gérant")
    assert result.verdict is verdict and code in _codes(result)


def test_the_person_s_own_function_wins_over_a_namesake_s_claimed_one(db: Session) -> None:
    number = register.company(db, 1, "610")
    register.function(db, number, "30", "Jan", "Peeters")
    register.function(db, number, "13", "Jan", "Peters")  # another person, the claimed role
    result = _check(db, number, "Jan", "Peeters", "bestuurder")
    assert result.findings[0].evidence["matched_name"] == "Jan Peeters"
    assert result.verdict is REVIEW and "role.differs" in _codes(result)


def test_a_transliterated_name_is_the_holder(db: Session) -> None:
    number = register.company(db, 1, "610")
    register.function(db, number, "30", "Sergei", "Ivanov")
    result = _check(db, number, "Сергей", "Иванов", "manager")
    assert result.verdict is VALID, _codes(result)


@pytest.mark.parametrize(
    ("birth", "verdict"),
    [("1970-05-12", VALID), ("1970", VALID), ("1971-05-12", INVALID), (None, VALID)],
)
def test_birth_date_where_the_register_knows_it(
    db: Session, birth: str | None, verdict: MandateVerdict
) -> None:
    number = register.company(db, 1, "610")
    register.function(db, number, "30", "Jan", "Peeters", birth=date(1970, 5, 12))
    result = _check(db, number, "Jan", "Peeters", "30", birth=birth)
    assert result.verdict is verdict
    if birth and verdict is INVALID:
        assert "birth_date.mismatch" in _codes(result)


def test_claimed_role_differs_from_the_register(db: Session) -> None:
    number = register.company(db, 1, "610")
    register.function(db, number, "30", "Jan", "Peeters")
    result = _check(db, number, "Jan", "Peeters", "director")
    assert result.verdict is REVIEW and "role.differs" in _codes(result)
    unknown = _check(db, number, "Jan", "Peeters", "chief vibes officer")
    assert unknown.verdict is REVIEW and "role.unknown" in _codes(unknown)
    no_role = _check(db, number, "Jan", "Peeters")
    assert no_role.verdict is VALID


def test_an_auditor_never_represents(db: Session) -> None:
    number = register.company(db, 1, "610")
    register.function(db, number, "71", "Eva", "Smet")
    result = _check(db, number, "Eva", "Smet", "bedrijfsrevisor")
    assert result.verdict is INVALID and "power.never" in _codes(result)


# --- legal persons holding a function ------------------------------------------------


def test_a_legal_person_director_acts_through_its_named_permanent_representative(
    db: Session,
) -> None:
    holder = register.company(db, 2, "610")
    number = register.company(db, 1, "610")
    register.function(db, number, "13", holder=holder, representative=("Jan", "Peeters"))
    result = _check(db, number, "Jan", "Peeters", "director")
    assert result.verdict is VALID
    assert "holder.permanent_representative" in _codes(result)
    other = _check(db, number, "Marie", "Dubois", "director")
    assert other.verdict is INVALID


def test_a_legal_person_director_without_a_named_representative_goes_to_review(
    db: Session,
) -> None:
    holder = register.company(db, 2, "610")
    register.function(db, holder, "30", "Jan", "Peeters")
    number = register.company(db, 1, "610")
    register.function(db, number, "13", holder=holder)
    result = _check(db, number, "Jan", "Peeters", "13")
    assert result.verdict is REVIEW
    finding = next(f for f in result.findings if f.code == "holder.representative_unconfirmed")
    assert finding.evidence["holder_enterprise_number"] == holder


def test_a_legal_person_director_the_register_knows_nothing_about_goes_to_review(
    db: Session,
) -> None:
    number = register.company(db, 1, "610")
    register.function(db, number, "13", holder=register.enterprise_number(2))
    result = _check(db, number, "Jan", "Peeters", "13")
    assert result.verdict is REVIEW and _codes(result) == ["holder.unresolved"]


def test_only_a_current_member_of_the_legal_person_is_its_candidate(db: Session) -> None:
    holder = register.company(db, 2, "610")
    register.function(db, holder, "30", "Jan", "Peeters", end=date(2020, 12, 31))
    number = register.company(db, 1, "610")
    register.function(db, number, "13", holder=holder)
    result = _check(db, number, "Jan", "Peeters", "13")
    assert result.verdict is REVIEW and _codes(result) == ["holder.unresolved"]
    assert _check(db, number, "Jan", "Peeters", "13", as_of=date(2020, 6, 1)).verdict is REVIEW
    assert "holder.representative_unconfirmed" in _codes(
        _check(db, number, "Jan", "Peeters", "13", as_of=date(2020, 6, 1))
    )


def test_a_chain_of_legal_persons_is_refused(db: Session) -> None:
    top = register.company(db, 3, "610")
    register.function(db, top, "30", "Jan", "Peeters")
    middle = register.company(db, 2, "610")
    register.function(db, middle, "30", holder=top)
    number = register.company(db, 1, "610")
    register.function(db, number, "13", holder=middle)
    result = _check(db, number, "Jan", "Peeters", "13")
    assert result.verdict is INVALID and _codes(result) == ["holder.chain"]


# --- the company's situation -----------------------------------------------------------


@pytest.mark.parametrize(
    ("situation", "code", "verdict", "finding"),
    [
        ("012", "80", VALID, "power.alone"),  # in liquidation: the liquidator
        ("012", "30", INVALID, "power.liquidation_only"),
        ("050", "81", VALID, "power.alone"),  # bankrupt: the curator
        ("050", "30", INVALID, "power.bankruptcy_only"),
        ("050", "80", INVALID, "power.bankruptcy_only"),
        ("000", "80", INVALID, "power.situation_normal"),
        ("000", "81", INVALID, "power.situation_normal"),
        ("014", "80", INVALID, "situation.closed"),  # liquidation closed
        ("091", "30", REVIEW, "situation.not_normal"),  # judicial reorganisation
    ],
)
def test_situations(
    db: Session, situation: str, code: str, verdict: MandateVerdict, finding: str
) -> None:
    number = register.company(db, 1, "610", situation=situation)
    register.function(db, number, code, "Jan", "Peeters")
    result = _check(db, number, "Jan", "Peeters", code)
    assert result.verdict is verdict and finding in _codes(result)


# --- sole traders -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "verdict"),
    [("Els", "Janssens", VALID), ("Els", "Jansen", REVIEW), ("Marc", "Peeters", INVALID)],
)
def test_a_sole_trader_is_represented_by_the_owner(
    db: Session, first: str, last: str, verdict: MandateVerdict
) -> None:
    number = register.company(db, 1, None, kind="1", name="Janssens, Els")
    result = _check(db, number, first, last, "owner")
    assert result.verdict is verdict, _codes(result)
    assert _codes(result)[0].startswith("sole_trader.")


# --- what the register cannot tell --------------------------------------------------------


def test_no_functions_no_enterprise_no_register(runtime: Runtime) -> None:
    with runtime.sessions() as session, session.begin():
        assert _codes(_check(session, register.enterprise_number(1), "A", "B")) == [
            "register.unavailable"
        ]
        register.extract(session)
        assert _check(session, register.enterprise_number(1), "A", "B").verdict is INVALID
        number = register.company(session, 1, "610")
        result = _check(session, number, "Jan", "Peeters")
        assert result.verdict is REVIEW and _codes(result) == ["functions.unavailable"]
        assert _check(session, "0400000186", "A", "B").verdict is INVALID  # check digits


# --- special proxies -------------------------------------------------------------------------


def _proxy(**changes: object) -> Proxy:
    proxy = Proxy(
        grantor=Declared("Jan", "Peeters", role="zaakvoerder"),
        grantee_first_name="Sofie",
        grantee_last_name="Claes",
        scope=("Registratie op het Peppol-netwerk", "e-invoicing"),
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
    )
    return replace(proxy, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("proxy", "as_of", "verdict", "finding"),
    [
        (_proxy(), TODAY, VALID, "proxy.current"),
        (_proxy(), date(2025, 12, 31), INVALID, "proxy.not_yet_valid"),
        (_proxy(), date(2026, 12, 31), VALID, "proxy.current"),
        (_proxy(), date(2027, 1, 1), INVALID, "proxy.expired"),
        (_proxy(scope=("bank accounts",)), TODAY, INVALID, "proxy.scope_missing"),
        (_proxy(grantor=Declared("Marie", "Dubois")), TODAY, INVALID, "proxy.grantor_invalid"),
        (_proxy(grantor=Declared("Bart", "Janssens")), TODAY, REVIEW, "proxy.grantor_needs_review"),
        (_proxy(grantee_first_name="Sven"), TODAY, INVALID, "proxy.grantee_mismatch"),
    ],
)
def test_special_proxies(
    db: Session, proxy: Proxy, as_of: date, verdict: MandateVerdict, finding: str
) -> None:
    number = register.company(db, 1, "610")
    register.function(db, number, "30", "Jan", "Peeters", begin=date(2020, 1, 1))
    register.function(db, number, "30", "Marie", "Dubois", end=date(2019, 12, 31))
    register.function(db, number, "14", "Bart", "Janssens")  # daily management: review
    result = _check(db, number, "Sofie", "Claes", None, as_of=as_of, proxy=proxy)
    codes = _codes(result)
    assert result.verdict is verdict
    # The path that did not decide is summed up in one finding.
    assert finding in codes or finding in str(result.findings[-1].evidence)


def test_a_proxy_is_not_needed_by_someone_who_may_act_alone(db: Session) -> None:
    number = register.company(db, 1, "610")
    register.function(db, number, "30", "Sofie", "Claes")
    register.function(db, number, "30", "Jan", "Peeters")
    result = _check(db, number, "Sofie", "Claes", "30", proxy=_proxy())
    assert result.verdict is VALID and _codes(result)[-1] == "proxy.not_needed"


def test_json_shape_is_the_registry_verify_shape(db: Session) -> None:
    number = register.company(db, 1, "610")
    register.function(db, number, "30", "Jan", "Peeters")
    data = _check(db, number, "Jan", "Peeters", "30").to_dict()
    assert data["verdict"] == "valid" and data["register_extract_id"] is not None
    assert all({"code", "message", "evidence", "severity"} <= set(f) for f in data["findings"])
    power = data["findings"][-1]["evidence"]
    assert power["rule_family"].startswith("BV") and "WVV" in power["source"]
