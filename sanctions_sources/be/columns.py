"""The one place that says how the FPS Finance national list's CSV columns are named.

No real file of the Belgian national list (FPS Finance, Treasury) was available when
this source was written; the columns follow its published description: type, Wholename,
Lastname, Firstname, Birth date (dd-mm-yy), Birth country, Number, Publication date,
Embargos, Regulation, with several values in one cell separated by line breaks. If the
real file names a column differently, change the right-hand side here — nothing else.
Header matching ignores case and surrounding spaces.
"""

from __future__ import annotations

COLUMNS: dict[str, str] = {
    "type": "type",
    "whole_name": "Wholename",
    "last_name": "Lastname",
    "first_name": "Firstname",
    "birth_date": "Birth date",
    "birth_country": "Birth country",
    "number": "Number",
    "publication_date": "Publication date",
    "embargos": "Embargos",
    "regulation": "Regulation",
}
REQUIRED = ("type", "number", "publication_date")

# Values of the type column that mean a natural person; anything else is an
# organisation. Compared in lower case, on the first word.
PERSON_TYPES = frozenset(
    {"p", "person", "persoon", "personne", "natural", "natuurlijk", "physique", "individual"}
)
