"""Name analysis: normalise, transliterate, tag the parts of a name, and read the
several names one written name may hold.

The tables come from libraries where they exist — transliteration
(``rigour.text.ascii_text``), legal forms and generic organisation words (rigour's
org-types table and org symbol tagger), phonetic keys (``rigour.text.metaphone``).
What is ours: the order of the steps, the roles a word plays, the readings of a written
name (``readings``), and the tables rigour lacks (``organisations.toml``: Belgian legal
forms old and new, forms in other scripts, generic words, conjunctions, the markers of
former and trading names).
"""

from kyc.names.analysis import AnalysedName, analyse, readings
from kyc.names.org_tables import belgian_form_class, belgian_forms
from kyc.names.parts import Aside, Reason, Role, Token, phonetic, token
from kyc.names.text import (
    CONSONANT_SCRIPTS,
    NATIVE_SCRIPTS,
    consonant_skeleton,
    consonant_skeletons,
    latin_ascii,
    native_words,
    normalize,
    word_skeletons,
)
from kyc.names.words import NAME_VARIANTS, spell_numbers
from kyc.names.written import is_abbreviation, written_readings

__all__ = [
    "CONSONANT_SCRIPTS",
    "NAME_VARIANTS",
    "NATIVE_SCRIPTS",
    "AnalysedName",
    "Aside",
    "Reason",
    "Role",
    "Token",
    "analyse",
    "belgian_form_class",
    "belgian_forms",
    "consonant_skeleton",
    "consonant_skeletons",
    "is_abbreviation",
    "latin_ascii",
    "native_words",
    "normalize",
    "phonetic",
    "readings",
    "spell_numbers",
    "token",
    "word_skeletons",
    "written_readings",
]
