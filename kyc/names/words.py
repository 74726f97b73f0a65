"""Words that play a part in names of people, and numbers written out.

Ours, as rigour has no such tables: particles and titles (the roles a word plays in a
person's name), spellings of one name that metaphone does not bring together, and
number words in English, Dutch and French.
"""

from __future__ import annotations

PARTICLES: frozenset[str] = frozenset(
    "al el ul bin ben ibn bint abu abd van von der den de del della di da du le la las los "
    "ter ten te dos das y e".split()
)
HONORIFICS: frozenset[str] = frozenset(
    """
    mr mrs ms miss mme mlle m dhr mevr dr prof sir lord lady sheikh shaykh sheik haji hajji
    hadji mullah mulla maulavi mawlawi maulana imam general gen colonel col major maj
    captain capt lieutenant lt sergeant sgt admiral president minister
    """.split()
)
# After a person's name: set aside as titles are.
SUFFIXES: frozenset[str] = frozenset({"jr", "sr"})

# Common spellings of one name in Latin script (transliteration variants); each word maps
# to one representative. Metaphone catches many more; these are the ones it misses.
_VARIANT_GROUPS = (
    "muhammad mohammed mohamed mohammad mohamad muhammed mohamad mehmet mohamud",
    "ahmed ahmad ahmet",
    "osama usama usamah",
    "omar umar",
    "bin ibn ben",
    "abu abou",
    "abdul abd abdel abdal",
    "abdullah abdallah",
    "yusuf yousef youssef yusef yosef",
    "hussein husayn hussain husain hosein",
    "hassan hasan",
    "ali aly",
    "khalid khaled",
    "ibrahim ebrahim",
    "mustafa mostafa moustafa",
    "mahmoud mahmud",
    "qasim kasim qassim",
    "aleksandr alexander alexandre aleksander alexandr alexandros alejandro",
    "sergey sergei serguei sergej sergejs",
    "dmitry dmitri dmitriy",
    "yuri yury iouri jurij yuriy",
    "nikolai nikolay nicolai",
    "andrei andrey andrej",
    "alexei alexey aleksei aleksey",
    "evgeny evgeniy yevgeny",
    "mikhail michail mikhael",
    "vyacheslav viacheslav",
    "igor ihor",
)
NAME_VARIANTS: dict[str, str] = {
    word: group.split()[0] for group in _VARIANT_GROUPS for word in group.split()
}

ROMAN_NUMERALS = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}
_NUMBER_WORDS = {
    word: value
    for value, words in enumerate(
        [
            "zero nul zéro",
            "one een un",
            "two twee deux",
            "three drie trois",
            "four vier quatre",
            "five vijf cinq",
            "six zes",
            "seven zeven sept",
            "eight acht huit",
            "nine negen neuf",
            "ten tien dix",
            "eleven elf onze",
            "twelve twaalf douze",
            "thirteen dertien treize",
            "fourteen veertien quatorze",
            "fifteen vijftien quinze",
            "sixteen zestien seize",
            "seventeen zeventien",
            "eighteen achttien",
            "nineteen negentien",
        ]
    )
    for word in words.split()
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
}


def spell_numbers(words: list[str]) -> list[str]:
    """``forty four`` / ``forty-four`` → ``44``; ``three`` → ``3``."""
    result: list[str] = []
    for word in words:
        if (
            word in _NUMBER_WORDS
            and result
            and result[-1].isdigit()
            and int(result[-1]) in _TENS.values()
        ):
            result[-1] = str(int(result[-1]) + _NUMBER_WORDS[word])
        elif word in _TENS:
            result.append(str(_TENS[word]))
        elif word in _NUMBER_WORDS:
            result.append(str(_NUMBER_WORDS[word]))
        else:
            result.append(word)
    return result


def number_value(word: str) -> str | None:
    """A word's value as a number, written in digits (``VIII`` → ``8``), or None."""
    if word.isdigit():
        return str(int(word))
    return str(ROMAN_NUMERALS[word]) if word in ROMAN_NUMERALS else None
