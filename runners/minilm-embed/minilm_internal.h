/* minilm_internal.h - shared between the files of the model core. */
#ifndef MINILM_INTERNAL_H
#define MINILM_INTERNAL_H

#include "minilm.h"

#include <stdio.h>

#define MINILM_MAX_WORD_CHARS 100 /* longer words become [UNK] (as in BERT) */

/* ---- tokenizer ---------------------------------------------------------- */
typedef struct {
    char *blob;          /* all tokens, NUL-separated */
    uint32_t *offs;      /* token id -> offset in blob */
    uint16_t *lens;      /* token id -> length in bytes */
    int32_t n;           /* vocabulary size */
    int32_t *slots;      /* open-addressing hash table of ids, -1 = empty */
    uint32_t mask;       /* slots size - 1 */
    int32_t id_unk, id_cls, id_sep;
} minilm_vocab;

int minilm_vocab_load(minilm_vocab *v, const char *path, char *err, size_t errlen);
void minilm_vocab_free(minilm_vocab *v);
int32_t minilm_vocab_find(const minilm_vocab *v, const char *s, size_t n);
/* Tokenize into ids with [CLS]/[SEP], at most max_tokens ids in total.
 * Writes min(result, max_ids) ids and returns the result's length. */
int minilm_wordpiece(const minilm_vocab *v, const char *text, size_t len, int max_tokens,
                     int32_t *ids, int max_ids);

/* ---- model -------------------------------------------------------------- */
typedef struct {
    /* packed linear weights (see pack_linear in minilm.c) and biases */
    const float *qkv_w, *qkv_b;     /* [3H x H]  */
    const float *ao_w, *ao_b;       /* [H x H]   attention output */
    const float *ln1_g, *ln1_b;
    const float *ff1_w, *ff1_b;     /* [I x H]   */
    const float *ff2_w, *ff2_b;     /* [H x I]   */
    const float *ln2_g, *ln2_b;
} minilm_layer;

struct minilm_model {
    int hidden, heads, layers, inter, vocab_size, max_pos, type_vocab, max_tokens;
    float ln_eps;
    const float *word_emb;  /* [vocab x H], in the mapping (or heap) */
    const float *pos_emb;   /* [max_pos x H] */
    const float *type_emb;  /* [H], token type 0 */
    const float *emb_ln_g, *emb_ln_b;
    minilm_layer *layer;
    float *arena;           /* all heap weights */
    size_t arena_bytes;
    void *map;              /* mmap of model.safetensors */
    size_t map_len;
    float *word_emb_copy;   /* if the file's table was not 4-byte aligned */
    minilm_vocab vocab;
};

#endif
