"""Scoring one name against another, and one subject against one list entry.

Names are compared word by word (rapidfuzz for the spelling, metaphone for the sound),
each word paired with its best partner whatever the order; words that find no partner
cost something — more in the query than in the list entry, whose extra middle names and
titles are common. Every adjustment is a :class:`Feature` with its contribution, so an
analyst can read why a score is what it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from kyc.matching.base import Feature
from kyc.matching.weights import DEFAULT_WEIGHTS, Weights, token_weight, unmatched_shares
from kyc.matching.words import word_similarity
from kyc.model import EntryKind
from kyc.names import AnalysedName, Reason, Role, Token, word_skeletons

# A one-word name compared as a whole string scores a little below the same ratio of
# aligned words: a whole-string likeness says less about who it is.
WHOLE_FACTOR = 0.95


@dataclass(frozen=True)
class Alignment:
    pairs: tuple[tuple[Token, Token, float], ...]
    extra_query: tuple[Token, ...]
    extra_entry: tuple[Token, ...]
    # Left-over words facing each other: different names in the same place.
    conflicts: tuple[tuple[Token, Token, float], ...] = ()


def _merged(tokens: Sequence[Token], other: Sequence[Token]) -> list[Token]:
    """Join neighbouring words that the other name writes as one (bin laden ~ binladen,
    jin ping ~ jinping), when the joined word fits clearly better than its parts."""
    texts = [t.text for t in other if len(t.text) > JOIN_TARGET_MIN]
    if len(tokens) < 2 or not texts:
        return list(tokens)
    result = list(tokens)
    index = 0
    while index < len(result) - 1:
        left, right = result[index], result[index + 1]
        if any(joins_into(left, right, text) for text in texts):
            joined = left.text + right.text
            result[index : index + 2] = [Token(joined, Role.NAME, joined, joined)]
        index += 1
    return result


def could_join(query: Sequence[Token], entry: Sequence[Token]) -> bool:
    """Whether :func:`align` reads two neighbouring words of one name as one word of the
    other. (It joins the entry's words against the query as it leaves it: unchanged
    unless some query words were joined, which already answers yes.)"""
    return len(_merged(query, entry)) < len(query) or len(_merged(entry, query)) < len(entry)


# A word the scorer may read as two neighbouring words of the other name is longer than
# this, and at most JOIN_GAP letters longer or shorter than the two together.
JOIN_TARGET_MIN = 3
JOIN_GAP = 2
NEVER_JOINED = (Role.INITIAL, Role.NUMBER)


def joins_into(left: Token, right: Token, text: str) -> bool:
    """Whether the scorer reads two neighbouring words as the one word ``text``: never
    an initial or a number, and only where the joined word fits clearly better than
    either part (``bin laden`` ~ ``binladen``, but not ``amin al`` ~ ``amina``)."""
    # Lengths first: they rule out nearly every pair, and cost least.
    size = len(left.text) + len(right.text)
    if len(text) <= JOIN_TARGET_MIN or abs(len(text) - size) > JOIN_GAP:
        return False
    if left.role in NEVER_JOINED or right.role in NEVER_JOINED:
        return False
    joined = fuzz.ratio(left.text + right.text, text, score_cutoff=90)
    if not joined:
        return False
    return joined >= max(fuzz.ratio(left.text, text), fuzz.ratio(right.text, text)) + 10


def align(query: Sequence[Token], entry: Sequence[Token], weights: Weights) -> Alignment:
    query, entry = _merged(query, entry), _merged(entry, query)
    candidates = sorted(
        (
            (word_similarity(q, e, weights), i, j)
            for i, q in enumerate(query)
            for j, e in enumerate(entry)
        ),
        key=lambda item: -item[0],
    )
    used_query: set[int] = set()
    used_entry: set[int] = set()
    pairs = []
    for similarity, i, j in candidates:
        if similarity < weights.min_pair:
            break
        if i in used_query or j in used_entry:
            continue
        used_query.add(i)
        used_entry.add(j)
        pairs.append((query[i], entry[j], similarity))
    conflicts = []
    for similarity, i, j in candidates:
        if i in used_query or j in used_entry:
            continue
        if Role.NAME not in (query[i].role, entry[j].role) or Role.NUMBER in (
            query[i].role,
            entry[j].role,
        ):
            continue
        used_query.add(i)
        used_entry.add(j)
        conflicts.append((query[i], entry[j], similarity))
    return Alignment(
        tuple(pairs),
        tuple(t for i, t in enumerate(query) if i not in used_query),
        tuple(t for j, t in enumerate(entry) if j not in used_entry),
        tuple(conflicts),
    )


def _aligned_score(alignment: Alignment, kind: EntryKind, weights: Weights) -> tuple[float, bool]:
    """Matched weight over the weight of both names, unpaired words at their cost.

    The second value says whether at least one identifying word was paired with a word
    that is more than an initial.
    """
    # Generic words left over on both sides stand for each other, and differ: as many as
    # face one another cost in full.
    facing = min(
        sum(t.role is Role.GENERIC for t in alignment.extra_query),
        sum(t.role is Role.GENERIC for t in alignment.extra_entry),
    )

    def extra(tokens: Sequence[Token], side: int) -> float:
        # A number left without a partner always costs in full: Fund II is not Fund.
        cost, generic = 0.0, 0
        for t in tokens:
            share = unmatched_shares(weights, t.role, kind)[side]
            if t.role is Role.GENERIC:
                generic += 1
                share = 1.0 if generic <= facing else share
            cost += token_weight(t, weights) * share
        return cost

    def both(q: Token, e: Token) -> float:
        return token_weight(q, weights) + token_weight(e, weights)

    floor = weights.conflict_credit_floor
    matched = sum(s * both(q, e) for q, e, s in alignment.pairs) + sum(
        (s - floor) / (1 - floor) * s * both(q, e) for q, e, s in alignment.conflicts if s > floor
    )
    total = (
        sum(both(q, e) for q, e, _s in (*alignment.pairs, *alignment.conflicts))
        + extra(alignment.extra_query, 0)
        + extra(alignment.extra_entry, 1)
    )
    score = matched / total if total else 0.0
    # An initial alone (L ~ Laden) identifies nobody; a name made only of generic words
    # (Trading Company) is identified by them.
    placed = (*alignment.pairs, *alignment.conflicts)
    generic_only = not any(
        t.role is Role.NAME for t in (*alignment.extra_query, *(q for q, _e, _s in placed))
    ) or not any(
        t.role is Role.NAME for t in (*alignment.extra_entry, *(e for _q, e, _s in placed))
    )
    # One generic word on its own (Group, مجموعة) identifies nothing at all; particles
    # and initials (al T. A.) identify nobody, however many.
    generic_only = generic_only and min(len(alignment.pairs), 2) == 2
    trusted = any(
        (Role.NAME in (q.role, e.role) or (generic_only and Role.PARTICLE not in (q.role, e.role)))
        and Role.INITIAL not in (q.role, e.role)
        for q, e, _s in alignment.pairs
    )
    return score, trusted


def _describe(alignment: Alignment) -> str:
    pairs = ", ".join(
        f"{q.text}={e.text}" if s == 1 else f"{q.text}~{e.text} {s:.2f}"
        for q, e, s in alignment.pairs
    )
    parts = [f"words {pairs or 'none'}"]
    if alignment.conflicts:
        parts.append(
            "different: " + ", ".join(f"{q.text}/{e.text}" for q, e, _s in alignment.conflicts)
        )
    if alignment.extra_query:
        parts.append("unmatched in the query: " + _listed(alignment.extra_query))
    if alignment.extra_entry:
        parts.append("unmatched in the entry: " + _listed(alignment.extra_entry))
    return "; ".join(parts)


_ROLE_NOTES = {
    Role.GENERIC: "a generic word, weighs little",
    Role.FORM: "of a legal form written out, costs nothing",
}


def _listed(tokens: Sequence[Token]) -> str:
    return " ".join(
        f"{t.text} ({_ROLE_NOTES[t.role]})" if t.role in _ROLE_NOTES else t.text for t in tokens
    )


Reading = tuple[float, Callable[[], str]]


def name_similarity(
    query: AnalysedName,
    entry: AnalysedName,
    weights: Weights = DEFAULT_WEIGHTS,
    *,
    explain: bool = True,
) -> tuple[float, str]:
    """How alike two names are, in [0, 1], with a one-line explanation (when asked).

    Several readings are tried and the best counts: the words aligned (transliterated,
    or as written when both names are in the same non-Latin script), an acronym of the
    other name, the consonant skeletons of a name written without vowels, and — for a
    one-word name — the whole strings.
    """
    if _both_qualified(query, entry):
        # Bank of China (Hong Kong) is not Bank of China (Australia): two names that
        # both qualify themselves compare with their qualifiers (their other readings).
        return 0.0, "both read without their qualifiers in brackets: compared with them"
    if query.script is not None and query.script == entry.script:
        return _native_similarity(query, entry, weights)
    if not query.tokens or not entry.tokens:
        return 0.0, "nothing to compare"
    alignment = align(query.tokens, entry.tokens, weights)
    aligned, trusted = _aligned_score(alignment, query.kind, weights)
    readings: list[Reading] = [(aligned if trusted else 0.0, lambda: _describe(alignment))]
    if len(query.tokens) == 1 or len(entry.tokens) == 1:
        whole = fuzz.ratio(query.text.replace(" ", ""), entry.text.replace(" ", "")) / 100
        readings.append(
            (
                whole * WHOLE_FACTOR,
                lambda: f"'{query.text}' ~ '{entry.text}' as whole strings: {whole:.2f}",
            )
        )
    acronym = acronym_reading(query, entry, weights)
    if acronym is not None:
        readings.append((acronym[0], lambda: acronym[1]))
    skeleton = _skeleton_similarity(query, entry, weights)
    if skeleton:
        readings.append(
            (
                skeleton * weights.skeleton_factor,
                lambda: f"consonant skeletons {skeleton:.2f} (a script written without vowels)",
            )
        )
    score, describe = max(readings, key=lambda reading: reading[0])
    detail = describe() if explain else ""
    cap = abbreviation_cap(query, entry, weights)
    if cap is not None:
        score *= cap
        detail += f"; an abbreviation alone identifies little: × {cap:.2f}" if explain else ""
    form = legal_form_feature(query, entry, weights)
    if form is not None:
        score += form.contribution
        detail += f"; {form.detail}" if explain else ""
    return max(0.0, min(1.0, score)), detail


def _both_qualified(query: AnalysedName, entry: AnalysedName) -> bool:
    """Whether both names qualify themselves in brackets, and one is read without it."""
    stripped = [any(a.reason is Reason.QUALIFIER for a in n.set_aside) for n in (query, entry)]
    kept = [any(a.reason is Reason.QUALIFIER_KEPT for a in n.set_aside) for n in (query, entry)]
    return (stripped[0] or kept[0]) and (stripped[1] or kept[1]) and any(stripped)


def _native_similarity(
    query: AnalysedName, entry: AnalysedName, weights: Weights
) -> tuple[float, str]:
    def native(name: AnalysedName) -> tuple[Token, ...]:
        return tuple(
            Token(w, Role.GENERIC if w in name.native_generic else Role.NAME, w, w)
            for w in name.native
        )

    alignment = align(native(query), native(entry), weights)
    aligned, trusted = _aligned_score(alignment, query.kind, weights)
    whole = fuzz.ratio("".join(query.native), "".join(entry.native)) / 100
    if trusted and aligned >= whole:
        return aligned, f"in {query.script} script: " + _describe(alignment)
    return whole, f"in {query.script} script, whole strings: {whole:.2f}"


def identifying(tokens: Sequence[Token]) -> tuple[Token, ...]:
    """The words that identify a name (names and numbers), or all of them if none do."""
    kept = tuple(t for t in tokens if t.role in (Role.NAME, Role.NUMBER))
    return kept or tuple(tokens)


@lru_cache(maxsize=200_000)
def skeleton_words(name: AnalysedName) -> tuple[tuple[Token | None, Token | None], ...]:
    """Each word of the name as a consonant skeleton, twice — its w read as a vowel, and
    as an f (see :func:`kyc.names.word_skeletons`); None where nothing is left. Each
    keeps its word's role, and its meaning where it has one (``شركة`` = ``company``)."""
    latin = name.skeleton is None
    pairs = (word_skeleton_pair(word, latin) for word in name.tokens)
    return tuple(pair for pair in pairs if pair is not None)


@lru_cache(maxsize=500_000)
def word_skeleton_pair(word: Token, latin: bool) -> tuple[Token | None, Token | None] | None:
    """One word's two skeletons (the same words come back name after name)."""
    meaning = word.variant if ":" in word.variant else None
    first, second = (
        Token(skeleton, word.role, skeleton, meaning or skeleton) if skeleton else None
        for skeleton in word_skeletons(word.text, latin=latin)
    )
    return (first, second) if first or second else None


def skeleton_role(pair: tuple[Token | None, Token | None]) -> Role:
    """The role of a word of :func:`skeleton_words` (one of its two readings is there)."""
    word = pair[0] or pair[1]
    assert word is not None
    return word.role


def skeleton_readings(name: AnalysedName) -> tuple[tuple[Token, ...], ...]:
    """The name's consonant-skeleton readings: every w a vowel, or every w an f."""
    words = skeleton_words(name)
    readings = (tuple(pair[w_as] for pair in words if pair[w_as]) for w_as in (0, 1))
    return tuple(dict.fromkeys(r for r in readings if r))  # type: ignore[misc]


def _skeleton_similarity(query: AnalysedName, entry: AnalysedName, weights: Weights) -> float:
    """Only when one name is written in a script without vowels (its ``skeleton`` is set):
    the two names' consonant skeletons aligned word by word (each word keeping its role:
    a generic word the script writes in its own language weighs little)."""
    if query.skeleton is None and entry.skeleton is None:
        return 0.0
    best = 0.0
    for left in skeleton_readings(query):
        for right in skeleton_readings(entry):
            alignment = align(left, right, weights)
            score, trusted = _aligned_score(alignment, query.kind, weights)
            if trusted:
                best = max(best, score)
    return best


# Two letters are too few: see acronym_reading.
ACRONYM_LETTERS = 3
# Initials of fewer letters than this are those of many names by chance (Aden is the
# initials of Armata de Eliberare Națională): they score ``acronym_short``.
ACRONYM_LONG = 5


def acronym_reading(
    query: AnalysedName, entry: AnalysedName, weights: Weights = DEFAULT_WEIGHTS
) -> tuple[float, str] | None:
    """``PLA`` ~ ``People's Liberation Army``: one name is the other's initials; its
    score and explanation.

    At least ``ACRONYM_LETTERS``: hundreds of listed aliases such as ``AL`` or ``HM``
    would match every two-word company with those initials; fewer than
    ``ACRONYM_LONG`` score ``acronym_short``.
    """
    if query.kind is EntryKind.PERSON:
        return None
    for short, long in ((query, entry), (entry, query)):
        letters = [t.text for t in short.tokens if t.role is Role.NAME]
        words = [t.text for t in long.tokens if t.role is not Role.NUMBER]
        if len(letters) != 1 or len(letters[0]) < ACRONYM_LETTERS:
            continue
        if len(words) == len(letters[0]) and "".join(w[0] for w in words) == letters[0]:
            score = weights.acronym if len(words) >= ACRONYM_LONG else weights.acronym_short
            return score, f"'{letters[0]}' is the initials of '{long.text}'"
    return None


def abbreviation_cap(
    query: AnalysedName, entry: AnalysedName, weights: Weights = DEFAULT_WEIGHTS
) -> float | None:
    """The most a reading that is only an abbreviation (``BAL`` of ``Butembo Airlines
    (BAL)``) may score: as the initials of a name do (see :func:`acronym_reading`)."""
    short = query if query.abbreviation else entry if entry.abbreviation else None
    if short is None:
        return None
    letters = len(short.text.replace(" ", ""))
    if letters > ACRONYM_LETTERS:
        return weights.acronym
    return weights.acronym_short if letters == ACRONYM_LETTERS else weights.acronym_short / 2


def legal_form_feature(
    query: AnalysedName, entry: AnalysedName, weights: Weights
) -> Feature | None:
    """Legal forms compare by their generic class (BV, GmbH and LLC are all limited
    liability; NV, SA and AG joint stock): a different class is a small penalty."""
    if not query.legal_forms or not entry.legal_forms:
        return None
    ours, theirs = _forms_written(query), _forms_written(entry)
    if set(query.legal_forms) & set(entry.legal_forms):
        return Feature("legal_form", 0.0, f"same kind of legal form: {ours} / {theirs}")
    return Feature(
        "legal_form",
        -weights.legal_form_conflict,
        f"legal forms differ: {ours} ({', '.join(query.legal_forms)}) / {theirs} "
        f"({', '.join(entry.legal_forms)})",
    )


def _forms_written(name: AnalysedName) -> str:
    forms = (Reason.LEGAL_FORM, Reason.LEGAL_FORM_WRITTEN_OUT)
    return ", ".join(a.text for a in name.set_aside if a.reason in forms)
