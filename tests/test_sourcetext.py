"""Words compared with a source text: typography forgiven, a mismatch shown to the character,
and which paragraphs are body paragraphs."""
from __future__ import annotations

from briefkit.inputs.sourcetext import SourceText


def test_quotations_compare_equal_across_typography():
    source = SourceText.parse("Heading\n\nThe ghost won’t get it back again, he said — “twice”  over.\n", "s")
    for words in ("The ghost won't get it back again", 'he said - "twice" over', "he said – “twice” over",
                  "won\u2019t  get\u00a0it"):
        assert source.find(words), words
    for words in ("the ghost won't", "The ghost won't get it back again!"):
        assert not source.find(words), words
    number, start, _ = source.closest("The ghost won't get it back agian")
    assert source.mismatch("The ghost won't get it back agian", number, start) == (
        "    yours:  The ghost won't get it back agian\n"
        "    source: The ghost won’t get it back again,\n"
        "                                          ^ first difference")


def test_body_paragraphs_are_sentences_of_some_length():
    source = SourceText.parse("\n".join([
        "A Heading Without A Full Stop",
        "When Does It Come Into Effect?",
        "A short sentence.",
        "This line is a full paragraph of the essay, long enough to be counted as a body paragraph.",
        "“He said it all in one long quoted sentence that ends inside the quotation marks of the source.”",
        "北朝鮮と中国の関係は、両国の共産党の関係によって決まるというのが筆者の主張である。",
    ]), "s")
    assert [source.is_body(n) for n in range(1, 7)] == [False, False, False, True, True, True]
