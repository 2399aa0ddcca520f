#!/usr/bin/python3
"""Independent reference for QwenTokenizerTests: byte-level BPE as in GPT-2/Qwen2 tokenizers (split on special
tokens, the pre-tokenizer regex of tokenizer.json, bytes_to_unicode, merges by rank), with the Qwen3 chat template
that ZImagePipeline applies (enable_thinking=True). Run: /usr/bin/python3 qwen_reference.py tests/fixtures/models/tiny-zimage/tokenizer"""
import json, sys
import regex

folder = sys.argv[1]
tok = json.load(open(folder + "/tokenizer.json", encoding="utf-8"))
vocab = tok["model"]["vocab"]
ranks = {tuple(m.split(" ")): i for i, m in enumerate(tok["model"]["merges"])}
specials = {t["content"]: t["id"] for t in tok["added_tokens"]}
pattern = regex.compile(tok["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"])


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


b2u = bytes_to_unicode()


def bpe(word):
    word = list(word)
    while len(word) > 1:
        pairs = [(ranks.get((a, b), 1 << 30), i) for i, (a, b) in enumerate(zip(word, word[1:]))]
        rank, i = min(pairs)
        if rank == 1 << 30:
            break
        word[i:i + 2] = [word[i] + word[i + 1]]
    return word


def encode(text):
    ids = []
    parts = regex.split("(" + "|".join(regex.escape(s) for s in specials) + ")", text)
    for part in parts:
        if part in specials:
            ids.append(specials[part])
            continue
        for piece in pattern.findall(part):
            ids += [vocab[t] for t in bpe("".join(b2u[b] for b in piece.encode("utf-8")))]
    return ids


for prompt in ["A cat, the thing", "çat 12"]:
    text = f"<|im_start|>user\n{prompt}<|im_end|>\n<|im_start|>assistant\n"
    print(repr(prompt), encode(text))
