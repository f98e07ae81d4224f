/* tokenizer.c - BERT uncased WordPiece tokenizer (BasicTokenizer semantics:
 * clean text, CJK chars split, lower-case, NFD + strip accents, split on
 * whitespace and punctuation; then greedy longest-match WordPiece with "##"
 * continuation pieces and [UNK] for words that cannot be covered). */
#include "minilm_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "unicode_tables.h"

/* ---- Unicode helpers ---------------------------------------------------- */

static int u_class(uint32_t cp)
{
    if (cp < 0x80) {
        if (cp == '\t' || cp == '\n' || cp == '\r' || cp == ' ') return MU_SPACE;
        if (cp < 0x20 || cp == 0x7F) return MU_DROP;
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) ||
            (cp >= 123 && cp <= 126))
            return MU_PUNCT;
        return MU_KEEP;
    }
    size_t lo = 0, hi = sizeof mu_ranges / sizeof mu_ranges[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < mu_ranges[mid].lo) hi = mid;
        else if (cp > mu_ranges[mid].hi) lo = mid + 1;
        else return mu_ranges[mid].cls;
    }
    return MU_KEEP;
}

/* lower-case + NFD + drop combining marks; returns the number of code points
 * written to out (0..3). */
static int u_fold(uint32_t cp, uint32_t out[3])
{
    if (cp < 0x80) {
        out[0] = (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
        return 1;
    }
    if (cp >= 0xAC00 && cp <= 0xD7A3) { /* Hangul syllable: algorithmic NFD */
        uint32_t s = cp - 0xAC00, t = s % 28;
        out[0] = 0x1100 + s / 588;
        out[1] = 0x1161 + (s % 588) / 28;
        if (!t) return 2;
        out[2] = 0x11A7 + t;
        return 3;
    }
    size_t lo = 0, hi = sizeof mu_folds / sizeof mu_folds[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < mu_folds[mid].cp) hi = mid;
        else if (cp > mu_folds[mid].cp) lo = mid + 1;
        else {
            for (int i = 0; i < mu_folds[mid].n; i++) out[i] = mu_folds[mid].out[i];
            return mu_folds[mid].n;
        }
    }
    out[0] = cp;
    return 1;
}

/* Strict UTF-8 decoder: returns bytes consumed (>= 1); malformed input
 * yields U+FFFD (which the tokenizer drops). */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    size_t need;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) { need = 1; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { need = 2; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 3; v = c & 0x07; min = 0x10000; }
    else { *cp = 0xFFFD; return 1; }
    if (n < need + 1) { *cp = 0xFFFD; return 1; }
    for (size_t i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80) { *cp = 0xFFFD; return i; }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) { *cp = 0xFFFD; return need + 1; }
    *cp = v;
    return need + 1;
}

static size_t utf8_put(char *o, uint32_t cp)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F)); return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- vocabulary --------------------------------------------------------- */

static uint32_t fnv1a(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

int32_t minilm_vocab_find(const minilm_vocab *v, const char *s, size_t n)
{
    uint32_t i = fnv1a(s, n) & v->mask;
    for (;;) {
        int32_t id = v->slots[i];
        if (id < 0) return -1;
        if (v->lens[id] == n && !memcmp(v->blob + v->offs[id], s, n)) return id;
        i = (i + 1) & v->mask;
    }
}

void minilm_vocab_free(minilm_vocab *v)
{
    free(v->blob);
    free(v->offs);
    free(v->lens);
    free(v->slots);
    memset(v, 0, sizeof *v);
}

int minilm_vocab_load(minilm_vocab *v, const char *path, char *err, size_t errlen)
{
    memset(v, 0, sizeof *v);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return MINILM_EIO;
    }
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (!buf) { fclose(f); snprintf(err, errlen, "out of memory reading %s", path); return MINILM_ENOMEM; }
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        if (cap > (64u << 20)) { free(buf); fclose(f); snprintf(err, errlen, "%s is too large for a vocabulary", path); return MINILM_EFORMAT; }
        cap *= 2;
        char *nb = realloc(buf, cap + 1);
        if (!nb) free(buf);
        buf = nb;
    }
    int rd_err = ferror(f);
    fclose(f);
    if (rd_err) { free(buf); snprintf(err, errlen, "error reading %s", path); return MINILM_EIO; }
    buf[n] = 0;

    int32_t lines = 0;
    for (size_t i = 0; i < n; i++) lines += buf[i] == '\n';
    if (n && buf[n - 1] != '\n') lines++;
    v->blob = buf;
    v->offs = malloc(sizeof *v->offs * (lines + 1));
    v->lens = malloc(sizeof *v->lens * (lines + 1));
    uint32_t slots = 1024;
    while (slots < (uint32_t)lines * 2) slots <<= 1;
    v->slots = malloc(sizeof *v->slots * slots);
    if (!v->offs || !v->lens || !v->slots) {
        minilm_vocab_free(v);
        snprintf(err, errlen, "out of memory loading %s", path);
        return MINILM_ENOMEM;
    }
    memset(v->slots, 0xFF, sizeof *v->slots * slots);
    v->mask = slots - 1;

    size_t pos = 0;
    int32_t id = 0;
    while (pos < n) {
        size_t e = pos;
        while (e < n && buf[e] != '\n') e++;
        size_t end = e;
        if (end > pos && buf[end - 1] == '\r') end--;
        if (end - pos > 1000) {
            minilm_vocab_free(v);
            snprintf(err, errlen, "%s: line %d is too long for a vocabulary entry", path, (int)id + 1);
            return MINILM_EFORMAT;
        }
        buf[end] = 0;
        v->offs[id] = (uint32_t)pos;
        v->lens[id] = (uint16_t)(end - pos);
        /* insert; a duplicate token maps to its last id */
        uint32_t h = fnv1a(buf + pos, end - pos) & v->mask;
        for (;;) {
            int32_t o = v->slots[h];
            if (o < 0) { v->slots[h] = id; break; }
            if (v->lens[o] == end - pos && !memcmp(buf + v->offs[o], buf + pos, end - pos)) {
                v->slots[h] = id;
                break;
            }
            h = (h + 1) & v->mask;
        }
        id++;
        pos = e + 1;
    }
    v->n = id;
    v->id_unk = minilm_vocab_find(v, "[UNK]", 5);
    v->id_cls = minilm_vocab_find(v, "[CLS]", 5);
    v->id_sep = minilm_vocab_find(v, "[SEP]", 5);
    if (v->id_unk < 0 || v->id_cls < 0 || v->id_sep < 0) {
        minilm_vocab_free(v);
        snprintf(err, errlen, "%s lacks one of [UNK], [CLS], [SEP]: not a BERT vocabulary", path);
        return MINILM_EFORMAT;
    }
    return MINILM_OK;
}

/* ---- tokenization ------------------------------------------------------- */

typedef struct {
    const minilm_vocab *v;
    int32_t *ids;
    int max_ids, count, limit;  /* limit: max number of ids incl. [SEP] */
    uint32_t word[MINILM_MAX_WORD_CHARS + 1];
    int wlen;                   /* may exceed the buffer (then [UNK]) */
} tk_state;

static void tk_emit(tk_state *t, int32_t id)
{
    if (t->count < t->max_ids) t->ids[t->count] = id;
    t->count++;
}

static int tk_full(const tk_state *t) { return t->count >= t->limit - 1; }

/* WordPiece for the buffered word. */
static void tk_flush(tk_state *t)
{
    int n = t->wlen;
    t->wlen = 0;
    if (n == 0 || tk_full(t)) return;
    if (n > MINILM_MAX_WORD_CHARS) { tk_emit(t, t->v->id_unk); return; }
    char bytes[MINILM_MAX_WORD_CHARS * 4 + 1];
    char key[MINILM_MAX_WORD_CHARS * 4 + 3];
    int off[MINILM_MAX_WORD_CHARS + 1];
    int32_t pieces[MINILM_MAX_WORD_CHARS];
    int np = 0;
    size_t b = 0;
    for (int i = 0; i < n; i++) {
        off[i] = (int)b;
        b += utf8_put(bytes + b, t->word[i]);
    }
    off[n] = (int)b;
    key[0] = key[1] = '#';
    int start = 0;
    while (start < n) {
        int end = n, found = -1;
        while (start < end) {
            size_t len = (size_t)(off[end] - off[start]);
            if (start == 0) {
                found = minilm_vocab_find(t->v, bytes, len);
            } else {
                memcpy(key + 2, bytes + off[start], len);
                found = minilm_vocab_find(t->v, key, len + 2);
            }
            if (found >= 0) break;
            end--;
        }
        if (found < 0) { tk_emit(t, t->v->id_unk); return; }
        pieces[np++] = found;
        start = end;
    }
    for (int i = 0; i < np && !tk_full(t); i++) tk_emit(t, pieces[i]);
}

static void tk_char(tk_state *t, uint32_t c)
{
    int k = u_class(c);
    if (k == MU_SPACE) { tk_flush(t); return; }
    if (k == MU_PUNCT) {
        tk_flush(t);
        t->word[0] = c;
        t->wlen = 1;
        tk_flush(t);
        return;
    }
    if (t->wlen < MINILM_MAX_WORD_CHARS + 1) t->word[t->wlen] = c;
    t->wlen++;
}

int minilm_wordpiece(const minilm_vocab *v, const char *text, size_t len, int max_tokens,
                     int32_t *ids, int max_ids)
{
    tk_state t;
    t.v = v;
    t.ids = ids;
    t.max_ids = max_ids < 0 ? 0 : max_ids;
    t.count = 0;
    t.limit = max_tokens < 2 ? 2 : max_tokens;
    t.wlen = 0;
    tk_emit(&t, v->id_cls);

    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len && !tk_full(&t)) {
        uint32_t cp;
        i += utf8_next(s + i, len - i, &cp);
        int k = u_class(cp);
        if (k == MU_DROP) continue;
        if (k == MU_SPACE) { tk_flush(&t); continue; }
        /* Lower-casing is per character, as in the Hugging Face fast tokenizer that
         * sentence-transformers uses (so a word-final capital sigma becomes σ, not ς). */
        uint32_t f[3];
        int nf = u_fold(cp, f);
        if (k == MU_CJK) {
            tk_flush(&t);
            for (int j = 0; j < nf; j++) tk_char(&t, f[j]);
            tk_flush(&t);
            continue;
        }
        for (int j = 0; j < nf; j++) tk_char(&t, f[j]);
    }
    tk_flush(&t);
    tk_emit(&t, v->id_sep);
    return t.count;
}
