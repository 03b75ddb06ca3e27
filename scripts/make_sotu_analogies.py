"""Writes data/sotu_analogies.txt: analogy questions in word2vec's
questions-words format (': section', then 'a b c d' lines: a is to b as c is
to d), from the word pairs below, every ordered pair of pairs of a section
(as Mikolov et al.'s set is built). The pairs were chosen for this companion
from words frequent in the State of the Union addresses; no public analogy
set is vendored (none is in the course's shared data).
Usage: python3 scripts/make_sotu_analogies.py > data/sotu_analogies.txt"""

SECTIONS = {
    "family": [("father", "mother"), ("son", "daughter"), ("brother", "sister"),
               ("husband", "wife"), ("men", "women"), ("boy", "girl"),
               ("boys", "girls"), ("sons", "daughters"), ("fathers", "mothers"),
               ("he", "she"), ("his", "her"), ("man", "woman")],
    "nationality-adjective": [
        ("america", "american"), ("mexico", "mexican"), ("france", "french"),
        ("britain", "british"), ("china", "chinese"), ("germany", "german"),
        ("japan", "japanese"), ("russia", "russian"), ("spain", "spanish"),
        ("italy", "italian"), ("canada", "canadian"), ("cuba", "cuban"),
        ("israel", "israeli"), ("iraq", "iraqi"), ("iran", "iranian")],
    "plural": [("nation", "nations"), ("state", "states"), ("war", "wars"),
               ("law", "laws"), ("tax", "taxes"), ("year", "years"),
               ("child", "children"), ("man", "men"), ("woman", "women"),
               ("family", "families"), ("job", "jobs"),
               ("country", "countries"), ("school", "schools"),
               ("program", "programs"), ("treaty", "treaties"),
               ("citizen", "citizens"), ("worker", "workers")],
    "past-tense": [("increase", "increased"), ("pay", "paid"),
                   ("make", "made"), ("take", "took"), ("give", "gave"),
                   ("see", "saw"), ("say", "said"), ("go", "went"),
                   ("become", "became"), ("begin", "began"), ("grow", "grew"),
                   ("fall", "fell"), ("rise", "rose"), ("build", "built"),
                   ("bring", "brought"), ("win", "won"), ("lose", "lost")],
    "comparative": [("great", "greater"), ("large", "larger"),
                    ("small", "smaller"), ("strong", "stronger"),
                    ("high", "higher"), ("low", "lower"), ("long", "longer"),
                    ("young", "younger"), ("old", "older"), ("hard", "harder"),
                    ("safe", "safer"), ("good", "better"), ("cheap", "cheaper")],
    "present-participle": [("work", "working"), ("build", "building"),
                           ("grow", "growing"), ("pay", "paying"),
                           ("make", "making"), ("take", "taking"),
                           ("go", "going"), ("come", "coming"),
                           ("fight", "fighting"), ("give", "giving"),
                           ("run", "running"), ("serve", "serving")],
}

for name, pairs in SECTIONS.items():
    print(": " + name)
    for a, b in pairs:
        for c, d in pairs:
            if (a, b) != (c, d):
                print(a, b, c, d)
