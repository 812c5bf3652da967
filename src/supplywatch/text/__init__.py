"""Stage 2, text: sentences, spans, the trie-shaped regex builder, terms and collocations, and tone.

Everything here works on plain article text and knows nothing of actors or claims.
"""

from __future__ import annotations

from supplywatch.text.sentences import PARAGRAPH_RE, Sentence, split_sentences

__all__ = [
    "PARAGRAPH_RE",
    "Sentence",
    "split_sentences",
]
