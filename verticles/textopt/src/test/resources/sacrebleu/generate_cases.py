"""Writes random (prediction, reference) pairs with sacreBLEU's own scores, one JSON object per line.

SacreBleuAgreementTest checks that our BLEU and chrF give the same figures. The texts mix what the 13a tokenizer
and the whitespace rules treat specially: punctuation, numbers with periods, commas and dashes, HTML entities,
"<skipped>", line-break hyphens, no-break and em spaces, accents, other scripts and emoji.

    python3 -m venv venv && venv/bin/pip install sacrebleu
    venv/bin/python generate_cases.py 7 200 > sacrebleu-cases.jsonl
"""
import json
import random
import sys

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF

WORDS = ["the", "dog", "bit", "man", "It", "wasn't", "surprising", "3.14", "1,000", "1995-2000", "well-known",
         "café", "zahăr", "producţia", "Ünïcödé", "東京", "🙂", "naïve", "ŒUVRE", "İstanbul", "a", "an", "x.y",
         "(paren)", "[b]", "{c}", "&amp;", "&quot;q&quot;", "&lt;t&gt;", "<skipped>", "end.", "yes,", "no;", "$5",
         "100%", "e-mail", "co-op", "\u00a0", "don't", "--", "...", "über-", "ß", "Straße", "9.", ".5", ",", "-"]
SPACES = [" ", " ", " ", "  ", "\t", "\n", "-\n", "\u00a0", "\u2003", " \n "]


def main(seed, count):
    rng = random.Random(seed)

    def text():
        n = rng.randint(0, 14)
        out = "".join(rng.choice(WORDS) + (rng.choice(SPACES) if i < n - 1 else "") for i in range(n))
        if rng.random() < 0.2:
            out = rng.choice(["", " ", "\n"]) + out + rng.choice(["", " ", "\n", "-\n"])
        return out

    sentence_bleu, corpus_bleu, chrf = BLEU(effective_order=True), BLEU(), CHRF()
    cases = []
    for _ in range(count):
        base = text()
        # The reference reuses the prediction's words, shuffled and cut, so most scores are not zero.
        words = base.split()
        rng.shuffle(words)
        reference = " ".join(words[: max(0, len(words) - rng.randint(0, 3))])
        if rng.random() < 0.5:
            reference += " " + text()
        prediction = base if rng.random() < 0.7 else text()
        cases.append({"prediction": prediction, "reference": reference,
                      "sentence_bleu": sentence_bleu.sentence_score(prediction, [reference]).score,
                      "sentence_chrf": chrf.sentence_score(prediction, [reference]).score})
    predictions = [c["prediction"] for c in cases]
    references = [[c["reference"] for c in cases]]
    print(json.dumps({"sacrebleu": sacrebleu.__version__, "seed": seed,
                      "corpus_bleu": corpus_bleu.corpus_score(predictions, references).score,
                      "corpus_chrf": chrf.corpus_score(predictions, references).score}))
    for case in cases:
        print(json.dumps(case, ensure_ascii=False))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
