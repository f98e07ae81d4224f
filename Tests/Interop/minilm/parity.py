#!/usr/bin/env python3
"""Parity test: the C plugin's MiniLM core against an independent NumPy reference.

    python parity.py --lib runners/minilm-embed/libminilm_embed.so --model-dir DIR

Loads the model core of the plugin through ctypes (its test entry points
minilm_test_open / minilm_embed_text / minilm_test_tokenize), computes the
same sentences with reference.py (own safetensors reader, own WordPiece, float64
NumPy forward pass) and checks:

  * token ids are identical,
  * cosine(C, reference) >= 0.9999 for every sentence (and the C vector has unit norm),
  * meaning: paraphrases score higher than unrelated sentences.

Prints a table and a closing "N passed, N failed" line; exits 1 on any failure.
"""
from __future__ import annotations

import argparse
import ctypes
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import MiniLMReference  # noqa: E402

COS_MIN = 0.9999

LONG_TEXT = " ".join(
    ["The committee reviewed the proposal, debated its budget (roughly $1.2 million), "
     "and postponed the final vote until next spring."] * 30)

SENTENCES = [
    ("simple", "A man is playing a guitar."),
    ("paraphrase", "Someone plays an instrument."),
    ("unrelated", "The stock market fell today."),
    ("question", "How do I reset my password?"),
    ("punctuation", "Wait... what?! (Really) -- \"yes\"; [no] {maybe} <ok> #1 @home 100% a&b*c/d\\e"),
    ("accents", "Café naïve résumé façade jalapeño Ångström Øresund"),
    ("accents-upper", "ÉCOLE NORMALE SUPÉRIEURE À PARIS, ÇA VA?"),
    ("german", "Die Straße ist schön, aber die Bäume sind grün."),
    ("greek", "ΟΔΟΣ Ἀθηνᾶ — Σοφία ΚΑΙ ΛΟΓΟΣ."),
    ("cyrillic", "Привет, как дела? Всё хорошо."),
    ("numbers", "In 2023, 3.14159 × 42 = 131.95 and 1,000,000 > 999,999."),
    ("cjk-chinese", "我喜欢在公园里散步。"),
    ("cjk-japanese", "東京は日本の首都です。ひらがなとカタカナ。"),
    ("korean", "안녕하세요, 만나서 반갑습니다."),
    ("emoji", "I love 🍕 and 🎸!! 😀👍🏽"),
    ("mixed-script", "naïve 東京 Привет 123 🙂 café"),
    ("whitespace", "  tabs\tand\nnewlines\r\n   and\u00a0nbsp\u3000ideographic space  "),
    ("control-chars", "zero\u200bwidth\u00adsoft\ufeffbom and \x07bell"),
    ("wordpiece", "Unbelievably, the antidisestablishmentarianism debate was hyperpolarized."),
    ("long-word", "x" * 150 + " is a very long word"),
    ("url-email", "Visit https://example.com/path?q=1&r=2 or mail jane.doe@example.org"),
    ("code", "def f(x): return x**2 + 1  # comment"),
    ("single-char", "a"),
    ("empty", ""),
    ("long-truncated", LONG_TEXT),
]

# An outside anchor for the reference itself: the first five values of the
# all-MiniLM-L6-v2 (mean pooling, normalised) embedding of "hello world", as
# published in the canonical-vector table of a public embedding library's
# test-suite (rounded there to ~1e-5).
ANCHOR_TEXT = "hello world"
ANCHOR_HEAD = [-0.034478, 0.03102, 0.00673, 0.02611, -0.039362]

MEANING = [
    # (anchor, closer, farther)
    ("A man is playing a guitar.", "Someone plays an instrument.", "The stock market fell today."),
    ("How do I reset my password?", "I forgot my login credentials.", "The cat sat on the windowsill."),
    ("The weather is lovely and sunny.", "It is a beautiful bright day.", "Interest rates rose by half a point."),
]


class CModel:
    def __init__(self, lib_path: str, model_dir: str):
        self.lib = ctypes.CDLL(os.path.abspath(lib_path))
        L = self.lib
        L.minilm_test_open.restype = ctypes.c_void_p
        L.minilm_test_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
        L.minilm_test_close.argtypes = [ctypes.c_void_p]
        L.minilm_embed_text.restype = ctypes.c_int
        L.minilm_embed_text.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
        L.minilm_test_tokenize.restype = ctypes.c_int
        L.minilm_test_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t,
                                           ctypes.c_void_p, ctypes.c_int]
        err = ctypes.create_string_buffer(1024)
        t0 = time.perf_counter()
        self.h = L.minilm_test_open(model_dir.encode(), err, len(err))
        self.load_ms = (time.perf_counter() - t0) * 1000
        if not self.h:
            raise RuntimeError("minilm_test_open failed: " + err.value.decode(errors="replace"))
        L.minilm_test_dim.restype = ctypes.c_int
        L.minilm_test_dim.argtypes = [ctypes.c_void_p]
        self.dim = L.minilm_test_dim(self.h)

    def tokenize(self, text: str) -> list[int]:
        b = text.encode("utf-8")
        buf = (ctypes.c_int32 * 1024)()
        n = self.lib.minilm_test_tokenize(self.h, b, len(b), buf, 1024)
        if n < 0:
            raise RuntimeError(f"tokenize failed: {n}")
        return list(buf[:n])

    def embed(self, text: str) -> tuple[np.ndarray, int]:
        out = np.zeros(self.dim, dtype=np.float32)
        n = self.lib.minilm_embed_text(self.h, text.encode("utf-8"), out.ctypes.data)
        if n < 0:
            raise RuntimeError(f"embed failed: {n}")
        return out, n

    def close(self):
        if self.h:
            self.lib.minilm_test_close(self.h)
            self.h = None


def cos(a, b) -> float:
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lib", required=True, help="path to libminilm_embed.so")
    ap.add_argument("--model-dir", required=True, help="all-MiniLM-L6-v2 folder (model.safetensors, config.json, vocab.txt)")
    args = ap.parse_args()

    c = CModel(args.lib, args.model_dir)
    t0 = time.perf_counter()
    ref = MiniLMReference(args.model_dir)
    print(f"C core loaded in {c.load_ms:.0f} ms; NumPy reference loaded in "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms")
    if c.dim != 384:
        print(f"note: embedding width is {c.dim} (all-MiniLM-L6-v2 has 384)")
    passed = failed = 0

    print()
    print(f"{'case':<16} {'tokens':>6} {'ids':>5} {'cosine(C, ref)':>14} {'1-cosine':>9} {'max|diff|':>10} {'|C|':>8}  result  text")
    print("-" * 110)
    ref_vecs = {}
    c_vecs = {}
    for name, text in SENTENCES:
        c_ids = c.tokenize(text)
        r_ids = ref.tok.encode(text)
        cv, n = c.embed(text)
        rv = ref.embed_ids(r_ids)
        c_vecs[text], ref_vecs[text] = cv, rv
        cs = cos(cv, rv)
        md = float(np.max(np.abs(cv.astype(np.float64) - rv)))
        norm = float(np.linalg.norm(cv.astype(np.float64)))
        ok_ids = c_ids == r_ids and n == len(r_ids)
        ok = ok_ids and cs >= COS_MIN and abs(norm - 1.0) < 1e-4
        if name == "long-truncated":
            ok = ok and len(c_ids) == 256
        if name == "empty":
            ok = ok and len(c_ids) == 2
        passed += ok
        failed += not ok
        shown = "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in text)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        print(f"{name:<16} {len(c_ids):>6} {'same' if ok_ids else 'DIFF':>5} {cs:>14.10f} {1 - cs:>9.1e} {md:>10.2e} "
              f"{norm:>8.5f}  {'ok' if ok else 'FAIL':<6}  {shown}")
        if not ok_ids:
            print(f"    C ids:   {c_ids[:40]}")
            print(f"    ref ids: {r_ids[:40]}")

    print()
    print(f"{'meaning check: anchor vs closer > anchor vs farther':<70} {'C':>14} {'reference':>14}  result")
    print("-" * 110)
    for anchor, closer, farther in MEANING:
        vals = {}
        for who, fn in (("C", lambda t: c.embed(t)[0]), ("ref", ref.embed)):
            a, b, d = fn(anchor), fn(closer), fn(farther)
            vals[who] = (cos(a, b), cos(a, d))
        ok = all(v[0] > v[1] for v in vals.values())
        passed += ok
        failed += not ok
        print(f"{anchor!r:<70} {'':>14} {'':>14}")
        print(f"  {'vs ' + repr(closer):<68} {vals['C'][0]:>14.4f} {vals['ref'][0]:>14.4f}")
        print(f"  {'vs ' + repr(farther):<68} {vals['C'][1]:>14.4f} {vals['ref'][1]:>14.4f}  {'ok' if ok else 'FAIL'}")

    # The C core runs each text as one unpadded sequence; a padded batch with an attention
    # mask must give the same vector (checks the reference's mask path against C).
    text = "A man is playing a guitar."
    ids = ref.tok.encode(text)
    padded = ref.embed_ids(ids + [0] * 7, [1] * len(ids) + [0] * 7)
    cs = cos(c_vecs[text], padded)
    ok = cs >= COS_MIN
    passed += ok
    failed += not ok
    print()
    print(f"padded+masked reference (7 [PAD]) vs C: cosine {cs:.10f}  {'ok' if ok else 'FAIL'}")

    print()
    ra, ca = ref.embed(ANCHOR_TEXT)[:5], c.embed(ANCHOR_TEXT)[0][:5]
    ok = bool(np.allclose(ra, ANCHOR_HEAD, atol=1e-4) and np.allclose(ca, ANCHOR_HEAD, atol=1e-4))
    passed += ok
    failed += not ok
    fmt = lambda v: "[" + ", ".join(f"{x:+.6f}" for x in v) + "]"  # noqa: E731
    print(f"anchor {ANCHOR_TEXT!r}: published {fmt(ANCHOR_HEAD)}")
    print(f"{'':>22}reference {fmt(ra)}")
    print(f"{'':>22}C         {fmt(ca)}  {'ok' if ok else 'FAIL'}")

    c.close()
    print()
    print(f"parity: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
