"""A CLIP-format byte-level BPE tokenizer trained on the caption vocabulary (vocab.json + merges.txt).

Layout as openai/CLIP and the HF CLIPTokenizer: the 256 byte symbols, the same with the end-of-word marker
"</w>", one token per learnt merge, then <|startoftext|> and <|endoftext|> (EOS has the highest id)."""
import json
import os
import re
from collections import Counter


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


B2U = bytes_to_unicode()
PATTERN = re.compile(r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[^\W\d_]+|\d|[^\s\w]+|_+", re.IGNORECASE)


def pre_tokenize(text):
    text = re.sub(r"\s+", " ", text).strip().lower()
    return ["".join(B2U[b] for b in t.encode("utf-8")) for t in PATTERN.findall(text)]


def learn_merges(word_counts):
    """Classic BPE learning: repeatedly merge the most frequent adjacent pair (ties: lexicographic) until every
    word is one symbol."""
    words = {w: tuple(w[:-1]) + (w[-1] + "</w>",) for w in word_counts}
    merges = []
    while True:
        pairs = Counter()
        for w, syms in words.items():
            for p in zip(syms, syms[1:]):
                pairs[p] += word_counts[w]
        if not pairs:
            return merges
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        for w, syms in words.items():
            new, i = [], 0
            while i < len(syms):
                if i < len(syms) - 1 and (syms[i], syms[i + 1]) == best:
                    new.append(syms[i] + syms[i + 1])
                    i += 2
                else:
                    new.append(syms[i])
                    i += 1
            words[w] = tuple(new)


class ClipBpe:
    def __init__(self, merges):
        chars = list(B2U.values())
        self.vocab = {}
        for c in chars:
            self.vocab[c] = len(self.vocab)
        for c in chars:
            self.vocab[c + "</w>"] = len(self.vocab)
        for a, b in merges:
            self.vocab.setdefault(a + b, len(self.vocab))
        self.vocab["<|startoftext|>"] = len(self.vocab)
        self.vocab["<|endoftext|>"] = len(self.vocab)
        self.merges = list(merges)
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.bos, self.eos = self.vocab["<|startoftext|>"], self.vocab["<|endoftext|>"]
        self.cache = {}

    @classmethod
    def train(cls, texts):
        counts = Counter(t for text in texts for t in pre_tokenize(text))
        return cls(learn_merges(counts))

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        while len(word) > 1:
            best = min(zip(word, word[1:]), key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            new, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and (word[i], word[i + 1]) == best:
                    new.append(word[i] + word[i + 1])
                    i += 2
                else:
                    new.append(word[i])
                    i += 1
            word = tuple(new)
        self.cache[token] = word
        return word

    def encode(self, text, length=77):
        """BOS, tokens, EOS, padded with EOS (SD 1.x convention) to `length`."""
        ids = [self.vocab[t] for tok in pre_tokenize(text) for t in self.bpe(tok)][: length - 2]
        ids = [self.bos] + ids + [self.eos]
        return ids + [self.eos] * (length - len(ids))

    def save(self, folder, length=77):
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8") as f:
            json.dump(self.vocab, f, ensure_ascii=False)
        with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
            f.write("#version: 0.2\n")
            for a, b in self.merges:
                f.write(f"{a} {b}\n")
        cfg = {"tokenizer_class": "CLIPTokenizer", "model_max_length": length, "do_lower_case": True,
               "bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>",
               "pad_token": "<|endoftext|>"}
        with open(os.path.join(folder, "tokenizer_config.json"), "w", encoding="utf-8") as f:
            json.dump(cfg, f, indent=2)
        with open(os.path.join(folder, "special_tokens_map.json"), "w", encoding="utf-8") as f:
            json.dump({k: cfg[k] for k in ("bos_token", "eos_token", "unk_token", "pad_token")}, f, indent=2)
