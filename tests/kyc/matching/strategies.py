"""Names for property tests: real name words, typos, reordering, other scripts."""

from __future__ import annotations

import random

from hypothesis import strategies as st

WORDS = (
    "mohamed muhammad mohammed ali al abu bin ibn laden usama osama abdul rahman "
    "abdulrahman yusuf masri el idrissi drissi nour noureddine viktor victor sokolov "
    "sokolow ivanovich jan janssens peeters de smet van der berg kim jong un ri "
    "song baltic star shipping bv nv srl holding group bank trading company "
    "logistics people's liberation army pla ii 3 al-qaida qaida international general "
    "limited liability joint stock (bal) (pakistan) formerly t/a & en in as sa ltd "
    "компания банк شركة للتجارة بنك"
).split()
SCRIPTS = (
    "Виктор Соколов",
    "عبد الرحمن المصري",
    "김정은",
    "Μιχάλης",
    "شركة الأمل للتجارة ذ.م.م",
    "ООО Ромашка",
    "华为技术有限公司",
)


def _typo(word: str, at: int) -> str:
    at %= max(1, len(word))
    return word[:at] + word[at + 1 :]


def _perturbed(name: str, at: int, typo: bool) -> str:
    words = list(reversed(name.split()))
    if typo:
        words[0] = _typo(words[0], at)
    return " ".join(words)


names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
any_name = st.one_of(
    names,
    st.builds(_perturbed, names, st.integers(0, 10), st.booleans()),
    st.sampled_from(SCRIPTS),
)


def listed_names(count: int, seed: int = 1) -> list[str]:
    """A fixed list of aliases drawn from the same words."""
    rng = random.Random(seed)
    drawn = [" ".join(rng.sample(WORDS, rng.randint(1, 4))) for _ in range(count)]
    return [*drawn, *SCRIPTS]
