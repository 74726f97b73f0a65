from __future__ import annotations

from kyc.matching.vocabulary import Vocabulary, token_keys
from kyc.matching.weights import DEFAULT_WEIGHTS
from kyc.model import EntryKind
from kyc.names import Token, analyse


def word(text: str) -> Token:
    return analyse(text, EntryKind.PERSON).tokens[0]


def vocabulary(*aliases: str) -> Vocabulary:
    vocab = Vocabulary(DEFAULT_WEIGHTS, 0.8)
    for index, alias in enumerate(aliases):
        for token in analyse(alias, EntryKind.PERSON).tokens:
            vocab.link("names", token, index)
    vocab.freeze(len(aliases))
    return vocab


def found_words(vocab: Vocabulary, text: str) -> set[str]:
    ids, _ = vocab.similar(word(text))
    return {vocab.token(index).text for index in ids.tolist()}


def test_a_variant_spelling_shares_a_key() -> None:
    assert token_keys(word("mohamed")) & token_keys(word("muhammad"))


def test_similar_words_are_found_and_unrelated_ones_are_not() -> None:
    vocab = vocabulary("Viktor Sokolov", "Jan Peeters")
    assert found_words(vocab, "sokolow") == {"sokolov"}
    assert found_words(vocab, "victor") == {"viktor"}
    assert found_words(vocab, "janssens") == set()


def test_incidence_links_each_word_to_its_aliases_once() -> None:
    vocab = vocabulary("Jan Jan Peeters", "Jan Smets")
    matrix = vocab.incidence("names").toarray()
    ids, _ = vocab.similar(word("jan"))
    jan = ids.tolist()[0]
    assert matrix[jan].tolist() == [1.0, 1.0]
    assert matrix.shape == (len(vocab), 2)


def test_an_unused_relation_is_an_empty_matrix() -> None:
    vocab = vocabulary("Jan Peeters")
    assert vocab.incidence("alternates").nnz == 0
    assert vocab.incidence("alternates").shape == (len(vocab), 1)


def test_two_typos_apart_is_still_within_reach() -> None:
    vocab = vocabulary("Abu Mohammed")
    assert found_words(vocab, "ohamed") == {"mohammed"}
