#!/usr/bin/python3
"""Writes tests/fixtures/tiny-shapes-prompts.json: the fixed evaluation prompts of the C# checks."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shapes_data as data  # noqa: E402

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sets = {}
for kind, count in (("train", 45), ("heldout-templates", 30), ("heldout-pairs", 30)):
    sets[kind] = [{"prompt": c, "colour": s["colour"], "shape": s["shape"], "position": s["pos"], "seed": 1000 + i}
                  for i, (s, c) in enumerate(data.eval_set(kind, count))]
with open(os.path.join(root, "tests", "fixtures", "tiny-shapes-prompts.json"), "w", encoding="utf-8") as f:
    json.dump(sets, f, indent=1)
    f.write("\n")
