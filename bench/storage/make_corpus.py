#!/usr/bin/env python3
"""Builds a benchmark corpus of portal pages: every fixture page of the four shipped sites
(tests/fixtures/<site>/), replicated with new article text, so that the pages share their
portal's template (as real pages do) while each article's text is its own.

Usage: make_corpus.py OUT_DIR PAGES [SEED]
Writes OUT_DIR/<site>/<n>.html and prints one summary line. Deterministic for a given SEED.

The new text of each paragraph has the paragraph's length and is drawn from the words of all the
fixtures' article texts: each next word follows the previous one as in the fixtures (a bigram)
with probability 0.6, else is any word (by frequency); numbers are fresh. The result compresses
like real news text (zstd -19: about 4x, against 4.3x for the fixtures' own texts): words and
phrases recur across pages, whole sentences do not.
Each paragraph is found in the HTML by its first words; its text up to the next tag is replaced
(a paragraph whose start cannot be found, because of entities or markup, is left as it is).
The two windows-1258 fixtures are left out: their text cannot be varied the same way, and
near-identical copies would flatter solid compression.
"""
import html
import json
import os
import random
import re
import sys
import unicodedata
from collections import defaultdict

SITES = ["bac-kan", "dong-thap", "nghe-an", "tra-vinh"]


def load_fixtures(root):
    pages = []  # (site, html text, [the first words of each paragraph, as they are in the HTML])
    texts = []
    for site in SITES:
        folder = os.path.join(root, "tests", "fixtures", site)
        for entry in json.load(open(os.path.join(folder, "manifest.json"))):
            try:
                raw = open(os.path.join(folder, entry["file"]), encoding="utf-8").read()
            except UnicodeDecodeError:
                continue
            golden = json.load(open(os.path.join(folder, entry["file"].rsplit(".", 1)[0] +
                                                 ".expected.json"), encoding="utf-8"))
            blocks = [b["text"] for b in golden["blocks"] if b["kind"] == "paragraph"]
            texts.extend(blocks)
            # Some fixtures are typed in decomposed Unicode (the parsers compose it): look for both.
            starts = [html.escape(unicodedata.normalize(form, t)[:20], False)
                      for t in blocks if len(t) > 30 for form in ("NFC", "NFD")]
            pages.append((site, raw, [s for s in starts if s in raw]))
    return pages, texts


def word_model(texts):
    followers = defaultdict(list)
    words = []
    for text in texts:
        tokens = text.split()
        words.extend(tokens)
        for a, b in zip(tokens, tokens[1:]):
            followers[a].append(b)
    return followers, words


def new_paragraph(rng, followers, words, length):
    out = [rng.choice(words)]
    size = len(out[0])
    while size < length:
        after = followers.get(out[-1])
        word = rng.choice(after) if after and rng.random() < 0.6 else rng.choice(words)
        word = re.sub(r"\d+", lambda m: str(rng.randrange(1, 10 ** len(m.group(0)))), word)
        out.append(word)
        size += len(word) + 1
    return " ".join(out)


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    pages, texts = load_fixtures(root)
    followers, words = word_model(texts)
    rng = random.Random(seed)
    total = 0
    for n in range(count):
        site, raw, found = pages[n % len(pages)]
        page = raw
        for start in found:
            at = page.find(start)
            end = page.find("<", at)
            if at < 0 or end < 0:
                continue
            text = new_paragraph(rng, followers, words, end - at)
            page = page[:at] + html.escape(text, False) + page[end:]
        # The page's own number in its title, as each real article has its own.
        page = page.replace("<title>", "<title>%d " % n, 1)
        folder = os.path.join(out, site)
        os.makedirs(folder, exist_ok=True)
        data = page.encode("utf-8")
        with open(os.path.join(folder, "%06d.html" % n), "wb") as f:
            f.write(data)
        total += len(data)
    print("corpus: %d pages, %.1f MB in %s" % (count, total / 1e6, out))


if __name__ == "__main__":
    main()
