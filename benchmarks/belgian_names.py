"""Synthetic Belgian people and companies (fixed seed): queries that should not be listed.

Shared by the matching, register and mandate benchmarks. A speed figure holds only for
queries as varied as a register's: the matcher caches its work per word, so a
generator with a few hundred names would measure the cache, not the matcher. Here the
vocabulary grows with the sample the way a population's does:

- **names by origin**, in roughly Belgium's mix: Flemish, Walloon, Dutch, French,
  German, Italian, Polish and Romanian, Turkish, Maghreb and Congolese. Each origin's
  names come from Faker's locales (``nl_BE``, ``fr_BE``, ``nl_NL``, ``fr_FR``,
  ``de_DE``, ``de_AT``, ``it_IT``, ``pl_PL``, ``ro_RO``, ``tr_TR``, ``fr_DZ`` — the
  Maghreb names as they are written in Latin letters — and ``sw``, with a list of
  Congolese surnames: Faker has no Congolese locale);
- **drawn by Zipf's law** over ranks (a few names are very common, most are rare), as
  surnames and given names are distributed (Fox & Lasker, *The distribution of
  surname frequencies*, 1983). Past a locale's own list, the ranks are filled with new
  names from a character model of that list (order-3 Markov chain), so that distinct
  names keep growing with the sample (about 400,000 surnames for Belgium's 11.7
  million people, as the Netherlands' 17 million carry some 300,000);
- **companies** built as the register names them: a family or invented brand name,
  real Belgian trade words in Dutch, French and English, a Belgian municipality (KBO's
  own code table when ``../shared`` is there), now and then a generic word, and a
  legal form in the register's proportions (BV, SRL, NV, SA, VZW, ASBL, CommV …, with
  pre-2019 forms still common).

:func:`vocabulary` counts the distinct names and words of a sample: every benchmark
prints them beside its figures.
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path

SEED = 20261125
_POSTAL_CODES = Path(__file__).resolve().parents[2] / "shared/realdata/kbo/codes/postal_codes.json"

# Origin: (share of people, Faker locales for given names and surnames, surnames in a
# population of Belgium's size, given names likewise).
ORIGINS: dict[str, tuple[float, tuple[str, ...], int, int]] = {
    "flemish": (45.0, ("nl_BE",), 160_000, 12_000),
    "walloon": (27.0, ("fr_BE",), 100_000, 10_000),
    "dutch": (3.0, ("nl_NL",), 20_000, 4_000),
    "french": (3.0, ("fr_FR",), 25_000, 3_000),
    "german": (2.0, ("de_DE", "de_AT"), 15_000, 4_000),
    "italian": (4.0, ("it_IT",), 20_000, 3_000),
    "polish": (3.0, ("pl_PL", "ro_RO"), 20_000, 2_000),
    "turkish": (3.0, ("tr_TR",), 10_000, 4_000),
    "maghreb": (6.0, ("fr_DZ",), 25_000, 3_000),
    "congolese": (4.0, ("sw",), 12_000, 3_000),
}
CONGOLESE_SURNAMES = """Mukendi Kabongo Tshibangu Ilunga Kalala Mbuyi Kasongo Lukusa Ngoy Mulumba
    Kabila Tshisekedi Mbala Kalonji Mutombo Kayembe Nsimba Makiese Lumumba Mwamba Kanku
    Mpoyi Tshimanga Kabeya Banza Mukuna Nkongolo Bokole Lokwa Mbemba Kitenge Ntumba
    Mujinga Kazadi Mpiana Bakambu Lusamba Kalombo Kamanda Mayamba""".split()
# Zipf-Mandelbrot laws, 1 / (rank + offset) ** exponent: surnames fall off about as
# 1/rank, the commonest at a few per thousand (Peeters: about 0.4 % of Flanders); given
# names are fewer and more concentrated.
_SURNAMES = (1.0, 30)
_GIVEN = (1.1, 10)

# Real Belgian trade words as company names use them (Dutch, French, English).
TRADES = """Bouw Bouwonderneming Bouwwerken Aannemingen Renovatie Schrijnwerkerij Dakwerken
    Elektriciteit Elektro Sanitair Loodgieterij Verwarming Schilderwerken Tuinaanleg
    Tuinen Grondwerken Transport Transporten Logistiek Koeriers Vastgoed Immo Bakkerij
    Slagerij Beenhouwerij Apotheek Kapsalon Brasserie Frituur Garage Carrosserie
    Boekhoudkantoor Advocatenkantoor Architectenbureau Tandartspraktijk Dierenartspraktijk
    Kinesitherapie Verzekeringen Makelaardij Drukkerij Schoonmaak Poetsdienst Catering
    Traiteur Ijzerwaren Meubelen Interieur Keukens Vloeren Tegels Isolatie Zonnepanelen
    Metaalbewerking Lasbedrijf Houthandel Landbouw Veeteelt Tuinbouw Kwekerij Hoeve Wijnen
    Construction Constructions Entreprise Menuiserie Toitures Electricite Plomberie Chauffage
    Peinture Jardins Terrassement Transports Immobiliere Boulangerie Patisserie Boucherie
    Pharmacie Coiffure Friterie Cabinet Comptabilite Fiduciaire Architecture Assurances
    Imprimerie Nettoyage Traiteur Quincaillerie Meubles Cuisines Carrelages Chassis
    Ferronnerie Soudure Agricole Vins Informatique Conseil
    Consult Consulting Services Solutions Trading Invest Management Holding Group Technics
    Design Media Data Digital Software Systems Engineering Projects Partners Development
    Logistics Fashion Beauty Pharma Medical Dental Wellness Fitness Events Energy Solar
    Automotive Cars Trucks Food Coffee Bikes Home Properties Real Estate Interiors""".split()
BRAND_SEEDS = """Alpha Nova Optima Delta Zenith Aurora Horizon Atlas Orion Vega Iris Lumen Terra
    Aqua Sol Luna Stella Vita Prima Magna Arcadia Helix Nexus Vertex Apex Fortis Lux Nexo
    Primo Sirius Titan Nimbus Solvo Ventura Axis Quanta Altis Domus Viva Axa Aria Equinox
    Boreal Cobalt Cedar Ember Flux Glacier Harbor Indigo Juniper Krypton Lotus Mosaic
    Nomad Oasis Pixel Quartz Rivera Summit Tundra Umbra Vortex Willow Xenon Yara Zephyr""".split()
GENERIC = ("Group", "Holding", "International", "Trading", "Company", "& Co", "& Zonen", "& Fils")
# Legal forms as the register holds them (current forms, and pre-2019 forms not yet
# converted), with rough weights; sole traders (no form) are listed under their name.
FORMS = {
    "BV": 30,
    "SRL": 18,
    "BVBA": 8,
    "SPRL": 6,
    "NV": 6,
    "SA": 5,
    "VZW": 6,
    "ASBL": 5,
    "CommV": 2,
    "SComm": 1,
    "CV": 2,
    "SC": 1,
    "VOF": 1,
    "": 9,
}
FALLBACK_PLACES = """Antwerpen Gent Brugge Leuven Mechelen Aalst Kortrijk Hasselt Genk Oostende
    Roeselare Turnhout Lier Geel Mol Tienen Ninove Lokeren Dendermonde Waregem Ieper Knokke
    Bree Tongeren Liège Namur Charleroi Mons Tournai Wavre Nivelles Arlon Verviers Huy
    Seraing Ath Dinant Bastogne Spa Waterloo Brussel Anderlecht Schaerbeek Ixelles Uccle
    Etterbeek Eupen Malmedy""".split()


class _Chain:
    """Character models of some names (orders 3, 2 and 1): new names that read like
    them. The highest order reads most like the list, but a short list soon gives only
    its own names back: then a lower order is tried."""

    _ORDERS = (3, 2, 1)
    _ATTEMPTS = 10  # per order, before the next lower one

    def __init__(self, names: Iterable[str]) -> None:
        # Lower-cased, a Turkish İ as i (not i and a combining dot).
        lowered = (n.replace(" ", "").lower().replace("i\u0307", "i") for n in names)
        words = [word for word in lowered if word.isalpha()]
        self._known = set(words)
        self._next: dict[int, dict[str, list[str]]] = {}
        for order in self._ORDERS:
            table: dict[str, list[str]] = defaultdict(list)
            for word in words:
                padded = "^" * order + word + "$"
                for index in range(order, len(padded)):
                    table[padded[index - order : index]].append(padded[index])
            self._next[order] = table

    def name(self, rng: random.Random) -> str:
        """A name not in the model's own list (nor among those it made before)."""
        while True:
            for order in self._ORDERS:
                for _attempt in range(self._ATTEMPTS):
                    word = self._walk(order, rng)
                    if 4 <= len(word) <= 12 and word not in self._known:
                        self._known.add(word)
                        return word.capitalize()

    def _walk(self, order: int, rng: random.Random) -> str:
        table, state, letters = self._next[order], "^" * order, []
        while len(letters) < 13:
            letter = rng.choice(table[state])
            if letter == "$":
                break
            letters.append(letter)
            state = state[1:] + letter
        return "".join(letters)


class _Ranked:
    """Names by rank, drawn by Zipf's law: a list's own names first (in a shuffled
    order), then new ones from its character model, made on first use."""

    def __init__(
        self, names: Sequence[str], population: int, exponent: float, offset: int, seed: int
    ) -> None:
        rng = random.Random(seed)
        self._names = list(dict.fromkeys(names))
        rng.shuffle(self._names)
        self._chain = _Chain(self._names)
        self._rng = random.Random(seed + 1)
        size = max(population, len(self._names))
        self._cumulative = list(
            itertools.accumulate(1 / (rank + offset) ** exponent for rank in range(1, size + 1))
        )

    def draw(self, rng: random.Random) -> str:
        total = self._cumulative[-1]
        rank = bisect.bisect_left(self._cumulative, rng.random() * total)
        while rank >= len(self._names):  # new names are made in rank order: stable
            self._names.append(self._chain.name(self._rng))
        return self._names[rank]


def _faker_words(locales: Sequence[str], part: str) -> list[str]:
    """Every given name or surname the locales' person providers hold."""
    from faker import Faker

    words: list[str] = []
    for locale in locales:
        provider = Faker(locale).provider("faker.providers.person")
        for attribute in dir(provider):
            if part not in attribute or attribute.startswith("_"):
                continue
            value = getattr(provider, attribute)
            if isinstance(value, (list, tuple, dict)):
                words.extend(w for w in value if isinstance(w, str))
    return words


@cache
def _pools() -> dict[str, tuple[_Ranked, _Ranked]]:
    pools = {}
    for number, (origin, (_share, locales, surnames, given)) in enumerate(ORIGINS.items()):
        last = _faker_words(locales, "last_name")
        if origin == "congolese":
            last = CONGOLESE_SURNAMES + last
        first = _faker_words(locales, "first_name")
        pools[origin] = (
            _Ranked(first, given, *_GIVEN, SEED + 2 * number),
            _Ranked(last, surnames, *_SURNAMES, SEED + 2 * number + 1),
        )
    return pools


@cache
def _brands() -> _Ranked:
    return _Ranked(BRAND_SEEDS, 30_000, *_SURNAMES, SEED - 1)


@cache
def places() -> list[str]:
    """Belgian municipalities, in Dutch and French (KBO's code table), or a few dozen."""
    if not _POSTAL_CODES.exists():
        return FALLBACK_PLACES
    codes = json.loads(_POSTAL_CODES.read_text(encoding="utf-8"))["codes"]
    labels = {code[key] for code in codes.values() for key in ("label_nl", "label_fr")}
    return sorted(label for label in labels if label)


def _origin(rng: random.Random) -> str:
    return rng.choices(list(ORIGINS), weights=[share for share, *_ in ORIGINS.values()])[0]


def person(rng: random.Random) -> tuple[str, str]:
    """As the register writes people: often two given names, now and then two surnames."""
    origin = _origin(rng)
    first, last = _pools()[origin]
    names = [first.draw(rng)]
    if rng.random() < 0.4:
        names.append(first.draw(rng))
    names.append(last.draw(rng))
    if rng.random() < 0.08:
        names.append(_pools()[_origin(rng)][1].draw(rng))
    birth = f"{rng.randint(1940, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return " ".join(names), birth


def _surname(rng: random.Random) -> str:
    return _pools()[_origin(rng)][1].draw(rng)


def _owner(rng: random.Random) -> list[str]:
    """Who a company is named after: a family, two partners, a person, or a brand."""
    roll = rng.random()
    if roll < 0.35:
        return [_surname(rng)]
    if roll < 0.45:
        joiner = rng.choice(("&", "en", "et", "-"))
        first, second = _surname(rng), _surname(rng)
        return [f"{first}-{second}"] if joiner == "-" else [first, joiner, second]
    if roll < 0.55:
        return [_pools()[_origin(rng)][0].draw(rng), _surname(rng)]
    if roll < 0.62:
        letters = rng.randint(2, 4)
        return ["".join(rng.choice("ABCDEFGHIJKLMNOPRSTVW") for _ in range(letters))]
    return [_brands().draw(rng)]


def company(rng: random.Random) -> str:
    """As varied as a register's companies: an owner or brand, often an activity and a
    place, now and then a generic word, and a legal form."""
    words = _owner(rng)
    if rng.random() < 0.7:
        trade = rng.choice(TRADES)
        words = [trade, *words] if rng.random() < 0.3 else [*words, trade]
    if rng.random() < 0.25:
        words.append(rng.choice(places()))
    if rng.random() < 0.08:
        words.append(rng.choice(GENERIC))
    form = rng.choices(list(FORMS), weights=list(FORMS.values()))[0]
    if form:
        words.append(form)
    return " ".join(words)


def subjects(count: int, seed: int = SEED) -> Iterator[tuple[str, str, str]]:
    """``count`` people and companies, alternately: (name, kind, birth date)."""
    rng = random.Random(seed)
    for index in range(count):
        if index % 2 == 0:
            name, birth = person(rng)
            yield name, "person", birth
        else:
            yield company(rng), "organization", ""


def companies(count: int, seed: int = SEED) -> list[str]:
    rng = random.Random(seed)
    return [company(rng) for _ in range(count)]


def people(count: int, seed: int = SEED) -> list[str]:
    rng = random.Random(seed)
    return [person(rng)[0] for _ in range(count)]


_WORD = re.compile(r"\w+")


def vocabulary(names: Iterable[str]) -> tuple[int, int]:
    """The distinct names of a sample, and the distinct words in them (case folded)."""
    distinct = {name.casefold() for name in names}
    words = {word for name in distinct for word in _WORD.findall(name)}
    return len(distinct), len(words)


def describe(names: Iterable[str]) -> str:
    """``"200,000 names (183,000 distinct, 61,000 distinct words)"``, for a report."""
    listed = list(names)
    distinct, words = vocabulary(listed)
    return f"{len(listed):,} names ({distinct:,} distinct, {words:,} distinct words)"
