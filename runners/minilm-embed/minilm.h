/*
 * minilm.h - all-MiniLM-L6-v2 sentence embeddings in plain C11.
 *
 * Internal API of the model core (used by plugin.c, bench.c and, through
 * ctypes, by Tests/Interop/minilm/parity.py).
 *
 * Threading: a minilm_model is immutable after minilm_model_load() returns
 * and may be shared by any number of threads.  A minilm_ctx holds the
 * scratch buffers of one forward pass; use one ctx per thread (a ctx must not
 * be used by two threads at the same time).
 *
 * Errors: functions that can fail return 0 on success and a negative
 * MINILM_E* code on failure, and write a NUL-terminated message into the
 * caller's err buffer (if err != NULL and errlen > 0).
 */
#ifndef MINILM_H
#define MINILM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define MINILM_API __attribute__((visibility("default")))
#else
#define MINILM_API
#endif

enum {
    MINILM_OK = 0,
    MINILM_EINVAL = -1,   /* bad argument */
    MINILM_EIO = -2,      /* file missing / unreadable */
    MINILM_EFORMAT = -3,  /* corrupt or unexpected model files */
    MINILM_ENOMEM = -4    /* allocation failed */
};

/* Sequence length limit used by sentence-transformers for this model
 * (tokens including [CLS] and [SEP]). */
#define MINILM_DEFAULT_MAX_TOKENS 256

typedef struct minilm_model minilm_model;
typedef struct minilm_ctx minilm_ctx;

/* Load config.json, vocab.txt and model.safetensors from model_dir.
 * max_tokens <= 0 selects MINILM_DEFAULT_MAX_TOKENS. */
MINILM_API int minilm_model_load(const char *model_dir, int max_tokens,
                                 minilm_model **out, char *err, size_t errlen);
MINILM_API void minilm_model_free(minilm_model *m);

/* Embedding width (hidden size, 384 for all-MiniLM-L6-v2). */
MINILM_API int minilm_model_dim(const minilm_model *m);
MINILM_API int minilm_model_max_tokens(const minilm_model *m);
/* Bytes of heap memory owned by the model (weights repacked for the
 * matmul kernels); the mmap'd word-embedding table is not included. */
MINILM_API size_t minilm_model_heap_bytes(const minilm_model *m);

/* Per-thread workspace, sized for max_tokens of the model. */
MINILM_API int minilm_ctx_create(const minilm_model *m, minilm_ctx **out,
                                 char *err, size_t errlen);
MINILM_API void minilm_ctx_free(minilm_ctx *c);

/* Tokenize UTF-8 text (len bytes, need not be NUL-terminated) to BERT ids:
 * [CLS] word pieces [SEP], truncated to the model's max_tokens.  Writes at
 * most max_ids ids (ids may be NULL when max_ids is 0) and returns the length
 * of the (truncated) sequence, >= 2, or a negative error code.  Invalid UTF-8
 * is dropped.  Does not need a ctx; thread-safe. */
MINILM_API int minilm_tokenize(const minilm_model *m, const char *text, size_t len,
                               int32_t *ids, int max_ids);

/* Embed UTF-8 text: mean-pooled, L2-normalised, dim floats written to out.
 * If n_tokens != NULL, it receives the sequence length used. */
MINILM_API int minilm_embed(minilm_ctx *c, const char *text, size_t len, float *out,
                            int *n_tokens, char *err, size_t errlen);

/* Embed an already tokenized sequence (ids include [CLS]/[SEP]). */
MINILM_API int minilm_embed_ids(minilm_ctx *c, const int32_t *ids, int n, float *out,
                                char *err, size_t errlen);

/* ---- Convenience entry points for tests (ctypes) ------------------------ */

/* Load a model plus one ctx; returns NULL on failure (message in err). */
MINILM_API void *minilm_test_open(const char *model_dir, char *err, size_t errlen);
MINILM_API void minilm_test_close(void *handle);
/* Embedding width of the handle's model. */
MINILM_API int minilm_test_dim(void *handle);
/* Embed NUL-terminated UTF-8 text; returns the token count (>0) or < 0. */
MINILM_API int minilm_embed_text(void *handle, const char *text, float *out);
/* Tokenize len bytes of UTF-8 text into ids (see minilm_tokenize). */
MINILM_API int minilm_test_tokenize(void *handle, const char *text, size_t len, int32_t *ids,
                                    int max_ids);

#ifdef __cplusplus
}
#endif
#endif
