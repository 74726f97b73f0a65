"""The legal form a company writes in its name, against the one the register records.

Customers write the form in the name (``ACME BV``, ``ACME SRL``, the pre-2019
``BVBA`` / ``SPRL``); the register records it as a ``JuridicalForm`` code
(``code.csv``). Each code below is read from its label in the KBO code table; the classes
are the Belgian classes of ``kyc/names/organisations.toml``, in which an old form and the
one the WVV/CSA converted it into are one class. Codes outside this table (public bodies,
foreign entities, forms without legal personality) are not compared.
"""

from __future__ import annotations

from kyc.model import EntryKind
from kyc.names import Reason, analyse, belgian_form_class

_CLASS_CODES: dict[str, tuple[str, ...]] = {
    # (Eenpersoons) besloten vennootschap (met beperkte aansprakelijkheid), also civil,
    # with a social purpose, or under public law.
    "bv": ("010", "015", "215", "510", "515", "610", "616"),
    # Naamloze vennootschap, also under public law, civil, with a social purpose.
    "nv": ("014", "114", "214", "514", "614"),
    # Coöperatieve vennootschap, every variant (limited or unlimited liability, old status,
    # civil, social purpose, public law).
    "cv": (
        "006", "007", "008", "009", "016", "106", "107", "108", "109", "116",
        "206", "208", "506", "508", "606", "608", "706", "716",
    ),
    # Commanditaire vennootschap (gewone, op aandelen), civil, social purpose, public law.
    "commv": ("012", "013", "212", "213", "512", "513", "612", "617"),
    "vof": ("011", "211", "511"),
    "vzw": ("017", "117"),
    "ivzw": ("125", "325"),
    "esv": ("060", "260", "560"),
    "se": ("027",),
}  # fmt: skip
_CLASS_OF_CODE = {code: form for form, codes in _CLASS_CODES.items() for code in codes}


def form_class_of_code(code: str | None) -> str | None:
    """The class of a register ``JuridicalForm`` code, or None when it is not compared."""
    return _CLASS_OF_CODE.get(code or "")


def written_forms(name: str) -> dict[str, str]:
    """The Belgian legal forms a company name carries, as written, with their class
    (``{"bvba": "bv"}``)."""
    aside = analyse(name, EntryKind.ORGANIZATION).set_aside
    forms = (a.text for a in aside if a.reason is Reason.LEGAL_FORM)
    return {form: found for form in forms if (found := belgian_form_class(form)) is not None}
