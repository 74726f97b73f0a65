"""Organisation names as lists and registers write them: each form the analysis knows,
with the explanation checked, and names that only share such words kept apart."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyc.matching.engine import compare_names
from kyc.model import EntryKind
from kyc.names import Aside, Reason, Role, analyse

THRESHOLD = 0.86
ORG = EntryKind.ORGANIZATION


def texts(name: str) -> list[str]:
    return [t.text for t in analyse(name, ORG).tokens]


def aside(name: str) -> list[Aside]:
    return list(analyse(name, ORG).set_aside)


# (customer, listed name, what the explanation must say)
FOUND = [
    # A bracketed abbreviation is read apart from the name.
    ("Butembo Airlines", "BUTEMBO AIRLINES (BAL)", "'(BAL)' (an abbreviation in brackets"),
    (
        "Islamic State in Iraq and the Levant",
        "ISLAMIC STATE IN IRAQ AND THE LEVANT (ISIL)",
        "'(ISIL)' (an abbreviation",
    ),
    ("Uganda Commercial Impex Ltd", "UGANDA COMMERCIAL IMPEX (UCI) LTD", "'(UCI)'"),
    # A qualifier in brackets, with the name and without.
    ("Al Haramain Foundation", "AL-HARAMAIN FOUNDATION (PAKISTAN)", "a qualifier in brackets"),
    # Former and trading names written inside the name.
    ("Red Sun", "Blue Sky Ltd formerly Red Sun Ltd", "after 'formerly'"),
    ("Red Sun", "Blue Sky Ltd (formerly Red Sun)", "after 'formerly'"),
    ("Red Sun", "Blue Sky Ltd f.k.a. Red Sun", "after 'f.k.a.'"),
    ("Red Sun", "Blue Sky Ltd a.k.a. Red Sun", "after 'a.k.a.'"),
    ("Red Sun", "Blue Sky Ltd trading as Red Sun", "after 'trading as'"),
    ("Red Sun", "Blue Sky Ltd t/a Red Sun", "after 't/a'"),
    ("Red Sun", "Blue Sky Ltd d.b.a. Red Sun", "after 'd.b.a.'"),
    ("Bakkerij Peeters", "Peeters BV h/o Bakkerij Peeters", "after 'h/o'"),
    ("Blue Sky Ltd", "Blue Sky Ltd t/a Red Sun", "another name of the same body"),
    # Legal forms, in any language and script, abbreviated or written out, with dots.
    ("Baltic Star Shipping", "Baltic Star Shipping BV", "'bv' (a legal form"),
    ("Baltic Star Shipping NV", "Baltic Star Shipping", "'nv' (a legal form"),
    ("Baltic Star Shipping SRL", "Baltic Star Shipping B.V.", "same kind of legal form"),
    ("Baltic Star Shipping S.A.", "Baltic Star Shipping NV", "same kind of legal form"),
    ("Baltic Star Shipping Ltd", "Baltic Star Shipping Limited", "same kind of legal form"),
    ("Baltic Star Shipping LLC", "Baltic Star Shipping GmbH", "same kind of legal form"),
    (
        "Baltic Star Shipping",
        "Baltic Star Shipping Gesellschaft mit beschränkter Haftung",
        "(a legal form written out",
    ),
    ("Joint Stock Comapny Baltic Star", "JOINT STOCK COMPANY BALTIC STAR", "written out"),
    ("Baltic Star Shipping", "Baltic Star Shipping Limited Liability Company", "written out"),
    ("Romashka OOO", "ООО Ромашка", "same kind of legal form"),
    ("Romashka", "Общество с ограниченной ответственностью Ромашка", "= ooo' (a legal form"),
    ("Hua Wei Ji Shu", "华为技术有限公司", "(a legal form"),
    ("الأمل للتجارة", "شركة الأمل للتجارة ذ.م.م", "(a legal form"),
    ("Baltic Star Shipping", "Baltic Star Shipping Besloten Vennootschap", "= bv"),
    ("Peeters", "Peeters Comm.V.", "'commv' (a legal form"),
    ("Baltic Star Shipping", "Baltic Star Shipping Sp. z o.o.", "(a legal form"),
    # Generic words that say little, added or dropped.
    ("Baltic Star Trading", "Baltic Star", "trading (a generic word"),
    ("Baltic Star Company", "Baltic Star", "company (a generic word"),
    ("Baltic Star Group", "Baltic Star", "group (a generic word"),
    ("Baltic Star Holding BV", "Baltic Star", "holding (a generic word"),
    ("Baltic Star International", "Baltic Star", "international (a generic word"),
    ("General Baltic Star", "Baltic Star", "general (a generic word"),
    ("Baltic Star & Co", "Baltic Star", "'co' (a legal form"),
    ("Baltic Star Trading Company Limited", "BALTIC STAR", "company (a generic word"),
    ("الأمل للتجارة", "شركة الأمل للتجارة", "شركة (a generic word"),
    # And: &, and, et, en are one.
    ("Peeters en Janssens", "Peeters & Janssens", "'&' (a conjunction)"),
    ("Peeters and Janssens", "Peeters et Janssens", "'et' (a conjunction)"),
    ("Peeters Janssens", "Peeters en Janssens BV", "'en' (a conjunction)"),
]


@pytest.mark.parametrize(("customer", "listed", "explained"), FOUND)
def test_written_forms_of_organisations_still_match(
    customer: str, listed: str, explained: str
) -> None:
    score, detail = compare_names(customer, listed, "organization")
    assert score >= THRESHOLD, (score, detail)
    assert explained in detail, detail


# Names that only share such words: different bodies.
APART = [
    ("Alpha Trading BV", "Omega Trading BV"),
    ("Alpha Trading", "Alpha Holding"),
    ("Trading Company", "Baltic Trading Company Ltd"),
    ("International Holding Group", "Delta International Holding Group"),
    ("Peeters & Zonen", "Janssens & Zonen"),
    ("Blue Sky Ltd", "Blue Moon Ltd formerly Red Sun Ltd"),
    ("Nova Consult BV", "NOVA SHIPPING (NSC)"),
    ("BAL BV", "BUTEMBO AIRLINES (BAL)"),  # three letters identify no one
    ("Banco SA", "Banco Nostra SA"),
]


@pytest.mark.parametrize(("customer", "listed"), APART)
def test_names_that_only_share_such_words_do_not_match(customer: str, listed: str) -> None:
    score, detail = compare_names(customer, listed, "organization")
    assert score < THRESHOLD, (score, detail)


def test_an_abbreviation_alone_scores_as_initials_do() -> None:
    long, detail = compare_names(
        "ISIL", "ISLAMIC STATE IN IRAQ AND THE LEVANT (ISIL)", "organization"
    )
    assert long >= THRESHOLD and "an abbreviation alone identifies little" in detail
    short, _ = compare_names("BAL", "BUTEMBO AIRLINES (BAL)", "organization")
    assert short < THRESHOLD


def test_legal_forms_are_set_aside_and_classed() -> None:
    old = analyse("Baltic Star Shipping B.V.B.A.", ORG)
    new = analyse("Baltic Star Shipping BV", ORG)
    assert texts("Baltic Star Shipping B.V.B.A.") == ["baltic", "star", "shipping"]
    assert old.legal_forms == new.legal_forms == ("llc",)
    assert old.set_aside == (Aside("bvba", Reason.LEGAL_FORM),)
    assert analyse("ACME SA", ORG).legal_forms == ("jsc",)
    assert analyse("Volkswagen Gesellschaft mit beschränkter Haftung", ORG).legal_forms == ("llc",)
    assert analyse("ООО Ромашка", ORG).legal_forms == ("llc",)
    assert analyse("华为技术有限公司", ORG).legal_forms == ("llc",)
    # Belgium's cooperative is its CV; rigour reads the written-out name as the Dutch
    # limited partnership: ours comes first.
    assert analyse("Peeters commanditaire vennootschap", ORG).legal_forms == ("lp",)


def test_a_short_form_in_the_middle_of_a_name_is_a_word() -> None:
    assert texts("Banco SA Nostra") == ["banco", "sa", "nostra"]
    assert texts("Islamic State in Iraq") == ["islamic", "state", "in", "iraq"]
    assert texts("Baltic SA") == ["baltic"]
    # Generic words may stand beyond a form at the end.
    assert texts("Korea Machinery J/V Corporation") == ["korea", "machinery", "corporation"]


def test_words_have_roles() -> None:
    fund = analyse("Apollo Investment Fund VIII L.P.", ORG)
    roles = {t.text: t.role for t in fund.tokens}
    assert roles == {
        "apollo": Role.NAME,
        "investment": Role.GENERIC,
        "fund": Role.GENERIC,
        "8": Role.NUMBER,
    }
    assert texts("Brigade Forty-four") == ["brigade", "44"]
    assert texts("First Bank Int'l") == ["first", "bank", "international"]
    # rigour's tagger marks generic words in other scripts too.
    assert analyse("شركة الأمل", ORG).tokens[0].role is Role.GENERIC


def test_conjunctions_between_words_only() -> None:
    assert texts("Peeters en Janssens") == ["peeters", "janssens"]
    assert Aside("en", Reason.CONJUNCTION) in aside("Peeters en Janssens")
    assert texts("En Route") == ["en", "route"]


LISTED = [
    "Baltic Star Shipping",
    "Nour Relief",
    "Butembo Airlines",
    "Korea Kwangson Banking",
    "Sahand Aluminum Parts",
    "Ocean Maritime Management",
    "Apollo Fund 8",
    "Trading Company",
]
ADDED_FORMS = ("BV", "NV", "SRL", "S.A.", "Ltd", "LLC", "GmbH", "OOO", "B.V.B.A.", "Limited")
ADDED_GENERIC = ("Trading", "Company", "Group", "Holding", "International", "General", "& Co")


@settings(max_examples=200, deadline=None)
@given(
    listed=st.sampled_from(LISTED),
    form=st.sampled_from(("", *ADDED_FORMS)),
    generic=st.lists(st.sampled_from(ADDED_GENERIC), max_size=2),
    before=st.booleans(),
)
def test_adding_a_legal_form_or_a_generic_word_never_loses_the_hit(
    listed: str, form: str, generic: list[str], before: bool
) -> None:
    words = " ".join(generic)
    customer = f"{words} {listed} {form}" if before else f"{listed} {words} {form}"
    score, detail = compare_names(customer, listed, "organization")
    assert score >= THRESHOLD, (customer, score, detail)
