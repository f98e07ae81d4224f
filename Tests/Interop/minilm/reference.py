"""Independent NumPy reference for all-MiniLM-L6-v2 sentence embeddings.

Written from the model's definition (BERT + mean pooling + L2 norm), not from
the C plugin: its own safetensors reader, its own BERT BasicTokenizer /
WordPiece (using Python's unicodedata), and a float64 forward pass.
Needs only numpy.
"""
from __future__ import annotations

import json
import math
import os
import struct
import unicodedata

import numpy as np

_DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64,
           "I32": np.int32}


def read_safetensors(path: str) -> dict[str, np.ndarray]:
    """Reads every tensor of a .safetensors file into numpy arrays."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        dtype = np.dtype(_DTYPES[info["dtype"]]).newbyteorder("<")
        arr = np.frombuffer(data[begin:end], dtype=dtype).reshape(info["shape"])
        out[name.removeprefix("bert.")] = arr
    return out


# --------------------------------------------------------------------------
# Tokenizer: BERT BasicTokenizer (do_lower_case, tokenize_chinese_chars,
# strip accents) followed by WordPiece.
# --------------------------------------------------------------------------

def _is_whitespace(ch: str) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _is_control(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


class WordPieceTokenizer:
    def __init__(self, vocab_path: str, max_len: int = 256, max_chars_per_word: int = 100):
        self.vocab: dict[str, int] = {}
        with open(vocab_path, encoding="utf-8") as f:
            for i, line in enumerate(f):
                self.vocab[line.rstrip("\n")] = i
        self.max_len = max_len
        self.max_chars = max_chars_per_word
        self.unk, self.cls, self.sep = (self.vocab[t] for t in ("[UNK]", "[CLS]", "[SEP]"))

    def basic_tokens(self, text: str) -> list[str]:
        cleaned = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or _is_control(ch):
                continue
            if _is_whitespace(ch):
                cleaned.append(" ")
            elif _is_cjk(cp):
                cleaned.append(" " + ch + " ")
            else:
                cleaned.append(ch)
        tokens = []
        for tok in "".join(cleaned).split():
            # per character, as the Hugging Face fast tokenizer (what sentence-transformers
            # runs) does it: str.lower() would turn a word-final capital sigma into "ς"
            tok = "".join(c.lower() for c in tok)
            tok = "".join(c for c in unicodedata.normalize("NFD", tok)
                          if unicodedata.category(c) != "Mn")
            cur = ""
            for c in tok:
                if _is_punctuation(c):
                    if cur:
                        tokens.append(cur)
                    tokens.append(c)
                    cur = ""
                else:
                    cur += c
            if cur:
                tokens.append(cur)
        return [t for tok in tokens for t in tok.split()]

    def wordpiece(self, word: str) -> list[int]:
        if len(word) > self.max_chars:
            return [self.unk]
        ids, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    found = self.vocab[piece]
                    break
                end -= 1
            if found is None:
                return [self.unk]
            ids.append(found)
            start = end
        return ids

    def encode(self, text: str) -> list[int]:
        ids = [i for w in self.basic_tokens(text) for i in self.wordpiece(w)]
        return [self.cls] + ids[: self.max_len - 2] + [self.sep]


# --------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------

_erf = np.vectorize(math.erf, otypes=[np.float64])


class MiniLMReference:
    def __init__(self, model_dir: str, max_len: int | None = None):
        with open(os.path.join(model_dir, "config.json")) as f:
            cfg = json.load(f)
        if max_len is None:
            max_len = 256
            sb = os.path.join(model_dir, "sentence_bert_config.json")
            if os.path.exists(sb):
                with open(sb) as f:
                    max_len = int(json.load(f).get("max_seq_length", max_len))
        self.cfg = cfg
        self.tok = WordPieceTokenizer(os.path.join(model_dir, "vocab.txt"), max_len)
        w = read_safetensors(os.path.join(model_dir, "model.safetensors"))
        self.w = {k: v.astype(np.float64) for k, v in w.items() if v.dtype.kind == "f"}
        self.layers = int(cfg["num_hidden_layers"])
        self.heads = int(cfg["num_attention_heads"])
        self.eps = float(cfg.get("layer_norm_eps", 1e-12))

    def _ln(self, x, name):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def _dense(self, x, name):
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def embed_ids(self, ids: list[int], mask: list[int] | None = None) -> np.ndarray:
        """Forward pass for one (possibly padded) sequence; mask marks real tokens."""
        ids = np.asarray(ids)
        T = len(ids)
        mask = np.ones(T) if mask is None else np.asarray(mask, dtype=np.float64)
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:T]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self._ln(x, "embeddings.LayerNorm")
        H = x.shape[1]
        dh = H // self.heads
        bias = (1.0 - mask)[None, None, :] * -1e9  # additive attention mask
        for l in range(self.layers):
            p = f"encoder.layer.{l}."
            q = self._dense(x, p + "attention.self.query").reshape(T, self.heads, dh).transpose(1, 0, 2)
            k = self._dense(x, p + "attention.self.key").reshape(T, self.heads, dh).transpose(1, 0, 2)
            v = self._dense(x, p + "attention.self.value").reshape(T, self.heads, dh).transpose(1, 0, 2)
            s = q @ k.transpose(0, 2, 1) / math.sqrt(dh) + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            a = (s @ v).transpose(1, 0, 2).reshape(T, H)
            x = self._ln(x + self._dense(a, p + "attention.output.dense"),
                         p + "attention.output.LayerNorm")
            h = self._dense(x, p + "intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h / math.sqrt(2.0)))
            x = self._ln(x + self._dense(h, p + "output.dense"), p + "output.LayerNorm")
        pooled = (x * mask[:, None]).sum(0) / max(mask.sum(), 1e-9)
        return pooled / max(np.linalg.norm(pooled), 1e-12)

    def embed(self, text: str) -> np.ndarray:
        return self.embed_ids(self.tok.encode(text))
