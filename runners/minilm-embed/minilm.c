/* minilm.c - model loading (config.json, safetensors) and the BERT encoder
 * forward pass for all-MiniLM-L6-v2 style sentence embedders. */
#if !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE 1 /* madvise */
#endif
#include "minilm_internal.h"
#include "json.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "minilm-embed reads little-endian safetensors directly; big-endian hosts are not supported"
#endif

#define NR 16 /* output columns per packed panel */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static void *alloc64(size_t bytes)
{
    size_t n = (bytes + 63) & ~(size_t)63;
    return aligned_alloc(64, n ? n : 64);
}

/* ======================================================================== */
/* Kernels                                                                   */
/* ======================================================================== */

/* Runtime ISA dispatch: with GCC or clang on x86-64 the matmul kernel is
 * also compiled for AVX2+FMA and picked at run time when the CPU has it, so
 * a library built for the x86-64-v2 baseline still uses 256-bit FMA where it
 * can.  Disable with -DMINILM_NO_DISPATCH. */
#if !defined(MINILM_NO_DISPATCH) && defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define MINILM_DISPATCH 1
#endif

/* Y[M x N] = X[M x K] * W^T + b, with W packed in panels of NR output columns:
 * P[(n/NR) * K * NR + k * NR + j] = W[n + j][k].  N is a multiple of NR.
 *
 * The micro-kernels keep an MR x NR tile of Y in registers and stream one
 * panel row (NR floats) per k.  They are written with GCC/clang vector
 * extensions where available (portable: the compiler lowers them to whatever
 * the target has), otherwise plain loops. */
#if defined(__GNUC__) || defined(__clang__)
typedef float v8f __attribute__((vector_size(32), aligned(32)));
typedef float v8u __attribute__((vector_size(32), aligned(4)));

#define KERNEL_V8(NAME, ATTR, R)                                                   \
    ATTR static void NAME(int K, const float *restrict x, int ldx,                 \
                          const float *restrict p, const float *restrict b,        \
                          float *restrict y, int ldy)                              \
    {                                                                              \
        v8f acc[R][2];                                                             \
        const v8f b0 = *(const v8u *)b, b1 = *(const v8u *)(b + 8);                \
        for (int r = 0; r < R; r++) { acc[r][0] = b0; acc[r][1] = b1; }            \
        for (int k = 0; k < K; k++) {                                              \
            const v8f w0 = *(const v8f *)(p + (size_t)k * NR);                     \
            const v8f w1 = *(const v8f *)(p + (size_t)k * NR + 8);                 \
            for (int r = 0; r < R; r++) {                                          \
                const float xv = x[(size_t)r * ldx + k];                           \
                acc[r][0] += xv * w0;                                              \
                acc[r][1] += xv * w1;                                              \
            }                                                                      \
        }                                                                          \
        for (int r = 0; r < R; r++) {                                              \
            *(v8u *)(y + (size_t)r * ldy) = acc[r][0];                             \
            *(v8u *)(y + (size_t)r * ldy + 8) = acc[r][1];                         \
        }                                                                          \
    }
#define KERNEL_V8_OK 1

/* 128-bit flavour for the SSE baseline (a 256-bit generic vector would be
 * split badly by the compiler there). */
typedef float v4f __attribute__((vector_size(16), aligned(16)));
typedef float v4u __attribute__((vector_size(16), aligned(4)));

#define KERNEL_V4(NAME, ATTR, R)                                                   \
    ATTR static void NAME(int K, const float *restrict x, int ldx,                 \
                          const float *restrict p, const float *restrict b,        \
                          float *restrict y, int ldy)                              \
    {                                                                              \
        v4f acc[R][4];                                                             \
        for (int r = 0; r < R; r++)                                                \
            for (int q = 0; q < 4; q++) acc[r][q] = *(const v4u *)(b + 4 * q);    \
        for (int k = 0; k < K; k++) {                                              \
            const float *pk = p + (size_t)k * NR;                                  \
            const v4f w0 = *(const v4f *)pk, w1 = *(const v4f *)(pk + 4);          \
            const v4f w2 = *(const v4f *)(pk + 8), w3 = *(const v4f *)(pk + 12);   \
            for (int r = 0; r < R; r++) {                                          \
                const float xv = x[(size_t)r * ldx + k];                           \
                acc[r][0] += xv * w0;                                              \
                acc[r][1] += xv * w1;                                              \
                acc[r][2] += xv * w2;                                              \
                acc[r][3] += xv * w3;                                              \
            }                                                                      \
        }                                                                          \
        for (int r = 0; r < R; r++)                                                \
            for (int q = 0; q < 4; q++) *(v4u *)(y + (size_t)r * ldy + 4 * q) = acc[r][q]; \
    }
#define KERNEL_BASE KERNEL_V4
#else
#define KERNEL_PLAIN(NAME, ATTR, R)                                                \
    ATTR static void NAME(int K, const float *restrict x, int ldx,                 \
                          const float *restrict p, const float *restrict b,        \
                          float *restrict y, int ldy)                              \
    {                                                                              \
        float acc[R][NR];                                                          \
        for (int r = 0; r < R; r++)                                                \
            for (int j = 0; j < NR; j++) acc[r][j] = b[j];                         \
        for (int k = 0; k < K; k++) {                                              \
            const float *restrict w = p + (size_t)k * NR;                          \
            for (int r = 0; r < R; r++) {                                          \
                const float xv = x[(size_t)r * ldx + k];                           \
                for (int j = 0; j < NR; j++) acc[r][j] += xv * w[j];               \
            }                                                                      \
        }                                                                          \
        for (int r = 0; r < R; r++)                                                \
            for (int j = 0; j < NR; j++) y[(size_t)r * ldy + j] = acc[r][j];       \
    }
#define KERNEL_BASE KERNEL_PLAIN
#endif

/* The driver: panels outer (one panel, K*NR*4 bytes, stays in L1/L2 while
 * all rows stream past it), MR-row tiles inner. */
#define LINEAR_DRIVER(NAME, ATTR, MR, KBIG, KMID, KSMALL, KONE)                             \
    ATTR static void NAME(const float *restrict X, int M, int K, const float *restrict P,   \
                          const float *restrict bias, int N, float *restrict Y)             \
    {                                                                                        \
        const int panels = N / NR;                                                          \
        OMP_FOR                                                                              \
        for (int pn = 0; pn < panels; pn++) {                                               \
            const float *p = P + (size_t)pn * K * NR;                                       \
            const float *b = bias + (size_t)pn * NR;                                        \
            float *y = Y + (size_t)pn * NR;                                                 \
            int m = 0;                                                                       \
            for (; m + MR <= M; m += MR) KBIG(K, X + (size_t)m * K, K, p, b, y + (size_t)m * N, N); \
            for (; m + 4 <= M; m += 4) KMID(K, X + (size_t)m * K, K, p, b, y + (size_t)m * N, N); \
            for (; m + 2 <= M; m += 2) KSMALL(K, X + (size_t)m * K, K, p, b, y + (size_t)m * N, N); \
            for (; m < M; m++) KONE(K, X + (size_t)m * K, K, p, b, y + (size_t)m * N, N);   \
        }                                                                                    \
    }
#if defined(_OPENMP)
#define OMP_FOR _Pragma("omp parallel for schedule(static) if (M >= 8)")
#else
#define OMP_FOR
#endif

/* Baseline (SSE on x86-64-v2): 2 x 16 tile = 8 xmm accumulators. */
KERNEL_BASE(kern_base_2, , 2)
KERNEL_BASE(kern_base_1, , 1)
LINEAR_DRIVER(linear_base, , 2, kern_base_2, kern_base_2, kern_base_2, kern_base_1)

#if defined(MINILM_DISPATCH) && defined(KERNEL_V8_OK)
/* AVX2 + FMA: 6 x 16 tile = 12 ymm accumulators. */
#define AVX2_ATTR __attribute__((target("avx2,fma")))
KERNEL_V8(kern_avx2_6, AVX2_ATTR, 6)
KERNEL_V8(kern_avx2_4, AVX2_ATTR, 4)
KERNEL_V8(kern_avx2_2, AVX2_ATTR, 2)
KERNEL_V8(kern_avx2_1, AVX2_ATTR, 1)
LINEAR_DRIVER(linear_avx2, AVX2_ATTR, 6, kern_avx2_6, kern_avx2_4, kern_avx2_2, kern_avx2_1)

static int cpu_has_avx2_fma(void)
{
    /* reads flags that libgcc / compiler-rt initialise before main() */
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

static void linear(const float *restrict X, int M, int K, const float *restrict P,
                   const float *restrict bias, int N, float *restrict Y)
{
#if defined(MINILM_DISPATCH) && defined(KERNEL_V8_OK)
    if (cpu_has_avx2_fma()) {
        linear_avx2(X, M, K, P, bias, N, Y);
        return;
    }
#endif
    linear_base(X, M, K, P, bias, N, Y);
}

/* x = LayerNorm(x + r) row-wise over n columns (r may be NULL). */
static void add_layernorm(float *x, const float *r, int T, int n, const float *g,
                          const float *b, float eps)
{
    for (int t = 0; t < T; t++) {
        float *row = x + (size_t)t * n;
        if (r) {
            const float *rr = r + (size_t)t * n;
            for (int i = 0; i < n; i++) row[i] += rr[i];
        }
        double s = 0;
        for (int i = 0; i < n; i++) s += row[i];
        const float mean = (float)(s / n);
        double v = 0;
        for (int i = 0; i < n; i++) {
            double d = (double)row[i] - mean;
            v += d * d;
        }
        const float inv = (float)(1.0 / sqrt(v / n + eps));
        for (int i = 0; i < n; i++) row[i] = (row[i] - mean) * inv * g[i] + b[i];
    }
}

static void gelu_inplace(float *x, size_t n)
{
    for (size_t i = 0; i < n; i++) x[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
}

/* Multi-head self-attention over one sequence of T tokens (no padding, so the
 * attention mask is all ones; a sequence never attends past its own end).
 * qkv: [T x 3H] (Q | K | V), out: [T x H].  kt: scratch [H x T], s: [T]. */
#define ATTENTION_FN(NAME, ATTR)                                                           \
    ATTR static void NAME(const float *restrict qkv, int T, int H, int heads,              \
                          float *restrict out, float *restrict kt, float *restrict s)      \
    {                                                                                      \
        const int dh = H / heads, ld = 3 * H;                                              \
        const float scale = 1.0f / sqrtf((float)dh);                                       \
        /* K transposed, so that scores are axpy's over contiguous rows */                 \
        for (int t = 0; t < T; t++)                                                        \
            for (int c = 0; c < H; c++) kt[(size_t)c * T + t] = qkv[(size_t)t * ld + H + c]; \
        for (int h = 0; h < heads; h++) {                                                  \
            for (int i = 0; i < T; i++) {                                                  \
                const float *q = qkv + (size_t)i * ld + h * dh;                            \
                for (int j = 0; j < T; j++) s[j] = 0.0f;                                   \
                for (int d = 0; d < dh; d++) {                                             \
                    const float qd = q[d] * scale;                                         \
                    const float *kr = kt + (size_t)(h * dh + d) * T;                       \
                    for (int j = 0; j < T; j++) s[j] += qd * kr[j];                        \
                }                                                                          \
                float mx = s[0];                                                           \
                for (int j = 1; j < T; j++) mx = s[j] > mx ? s[j] : mx;                    \
                float sum = 0.0f;                                                          \
                for (int j = 0; j < T; j++) {                                              \
                    s[j] = expf(s[j] - mx);                                                \
                    sum += s[j];                                                           \
                }                                                                          \
                const float inv = 1.0f / sum;                                              \
                float *o = out + (size_t)i * H + h * dh;                                   \
                for (int d = 0; d < dh; d++) o[d] = 0.0f;                                  \
                for (int j = 0; j < T; j++) {                                              \
                    const float pj = s[j] * inv;                                           \
                    const float *v = qkv + (size_t)j * ld + 2 * H + h * dh;                \
                    for (int d = 0; d < dh; d++) o[d] += pj * v[d];                        \
                }                                                                          \
            }                                                                              \
        }                                                                                  \
    }
ATTENTION_FN(attention_base, )
#if defined(MINILM_DISPATCH) && defined(KERNEL_V8_OK)
ATTENTION_FN(attention_avx2, AVX2_ATTR)
#endif

static void attention(const float *restrict qkv, int T, int H, int heads, float *restrict out,
                      float *restrict kt, float *restrict s)
{
#if defined(MINILM_DISPATCH) && defined(KERNEL_V8_OK)
    if (cpu_has_avx2_fma()) {
        attention_avx2(qkv, T, H, heads, out, kt, s);
        return;
    }
#endif
    attention_base(qkv, T, H, heads, out, kt, s);
}

/* ======================================================================== */
/* Loading                                                                   */
/* ======================================================================== */

static char *read_file(const char *path, size_t *len, size_t max, char *err, size_t errlen, int *code)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        set_err(err, errlen, "cannot open %s: %s", path, strerror(errno));
        *code = MINILM_EIO;
        return NULL;
    }
    char *buf = malloc(max + 1);
    if (!buf) {
        fclose(f);
        set_err(err, errlen, "out of memory");
        *code = MINILM_ENOMEM;
        return NULL;
    }
    size_t n = fread(buf, 1, max + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || n > max) {
        free(buf);
        set_err(err, errlen, bad ? "error reading %s" : "%s is unexpectedly large", path);
        *code = bad ? MINILM_EIO : MINILM_EFORMAT;
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

static int cfg_int(const jv *cfg, const char *key, int *out, int required)
{
    const jv *v = jv_get(cfg, key);
    if (!v) return required ? -1 : 0;
    if (v->type != JV_NUM || v->num != floor(v->num) || v->num < 0 || v->num > 1e9) return -1;
    *out = (int)v->num;
    return 0;
}

static int load_config(minilm_model *m, const char *dir, char *err, size_t errlen)
{
    char path[4096];
    size_t n;
    int code = 0;
    snprintf(path, sizeof path, "%s/config.json", dir);
    char *txt = read_file(path, &n, 1 << 20, err, errlen, &code);
    if (!txt) return code;
    char jerr[128];
    jv *cfg = jv_parse(txt, n, jerr, sizeof jerr);
    free(txt);
    if (!cfg || cfg->type != JV_OBJ) {
        set_err(err, errlen, "%s: invalid JSON (%s)", path, cfg ? "not an object" : jerr);
        jv_free(cfg);
        return MINILM_EFORMAT;
    }
    static const char *const keys[] = { "hidden_size", "num_attention_heads", "num_hidden_layers",
                                        "intermediate_size", "vocab_size", "max_position_embeddings" };
    int *dst[] = { &m->hidden, &m->heads, &m->layers, &m->inter, &m->vocab_size, &m->max_pos };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (cfg_int(cfg, keys[i], dst[i], 1) || *dst[i] <= 0) {
            set_err(err, errlen, "%s: missing or invalid \"%s\"", path, keys[i]);
            jv_free(cfg);
            return MINILM_EFORMAT;
        }
    }
    m->type_vocab = 2;
    if (cfg_int(cfg, "type_vocab_size", &m->type_vocab, 0) || m->type_vocab <= 0) {
        set_err(err, errlen, "%s: invalid \"type_vocab_size\"", path);
        jv_free(cfg);
        return MINILM_EFORMAT;
    }
    const jv *v = jv_get(cfg, "layer_norm_eps");
    m->ln_eps = 1e-12f;
    if (v) {
        if (v->type != JV_NUM || !(v->num > 0)) {
            set_err(err, errlen, "%s: invalid \"layer_norm_eps\"", path);
            jv_free(cfg);
            return MINILM_EFORMAT;
        }
        m->ln_eps = (float)v->num;
    }
    v = jv_get(cfg, "hidden_act");
    if (v && (v->type != JV_STR || strcmp(v->str, "gelu"))) {
        set_err(err, errlen, "%s: hidden_act \"%s\" is not supported (only \"gelu\")", path,
                v->type == JV_STR ? v->str : "?");
        jv_free(cfg);
        return MINILM_EFORMAT;
    }
    v = jv_get(cfg, "model_type");
    if (v && (v->type != JV_STR || strcmp(v->str, "bert"))) {
        set_err(err, errlen, "%s: model_type \"%s\" is not supported (only \"bert\")", path,
                v->type == JV_STR ? v->str : "?");
        jv_free(cfg);
        return MINILM_EFORMAT;
    }
    v = jv_get(cfg, "position_embedding_type");
    if (v && (v->type != JV_STR || strcmp(v->str, "absolute"))) {
        set_err(err, errlen, "%s: only absolute position embeddings are supported", path);
        jv_free(cfg);
        return MINILM_EFORMAT;
    }
    jv_free(cfg);
    if (m->hidden % m->heads || m->hidden % NR || m->inter % NR || m->hidden > 8192 ||
        m->inter > 65536 || m->layers > 256 || m->max_pos > 65536) {
        set_err(err, errlen, "%s: unsupported dimensions (hidden %d, heads %d, intermediate %d)",
                path, m->hidden, m->heads, m->inter);
        return MINILM_EFORMAT;
    }
    return MINILM_OK;
}

/* sentence_bert_config.json is optional; it gives the sequence limit. */
static int sbert_max_seq(const char *dir)
{
    char path[4096], e[64];
    size_t n;
    int code = 0, res = 0;
    snprintf(path, sizeof path, "%s/sentence_bert_config.json", dir);
    char *txt = read_file(path, &n, 1 << 16, e, sizeof e, &code);
    if (!txt) return 0;
    jv *cfg = jv_parse(txt, n, e, sizeof e);
    free(txt);
    if (cfg) cfg_int(cfg, "max_seq_length", &res, 0);
    jv_free(cfg);
    return res;
}

typedef struct {
    const jv *hdr;
    const unsigned char *data; /* start of the tensor data */
    size_t data_len;
    const char *path;
    char *err;
    size_t errlen;
} st_file;

/* Finds tensor `name` (or "bert." + name), checks dtype F32 and shape. */
static const unsigned char *st_tensor(st_file *f, const char *name, int d0, int d1)
{
    char alt[256];
    const jv *t = jv_get(f->hdr, name);
    if (!t) {
        snprintf(alt, sizeof alt, "bert.%s", name);
        t = jv_get(f->hdr, alt);
    }
    if (!t || t->type != JV_OBJ) {
        set_err(f->err, f->errlen, "%s: tensor \"%s\" is missing", f->path, name);
        return NULL;
    }
    const jv *dt = jv_get(t, "dtype"), *sh = jv_get(t, "shape"), *of = jv_get(t, "data_offsets");
    if (!dt || dt->type != JV_STR || strcmp(dt->str, "F32")) {
        set_err(f->err, f->errlen, "%s: tensor \"%s\" has dtype %s, expected F32", f->path, name,
                dt && dt->type == JV_STR ? dt->str : "?");
        return NULL;
    }
    int nd = d1 > 0 ? 2 : 1;
    int want[2] = { d0, d1 };
    int ok = sh && sh->type == JV_ARR && (int)sh->len == nd;
    for (int i = 0; ok && i < nd; i++)
        ok = sh->items[i].type == JV_NUM && sh->items[i].num == want[i];
    if (!ok) {
        if (nd == 2)
            set_err(f->err, f->errlen, "%s: tensor \"%s\" does not have shape [%d, %d]", f->path, name, d0, d1);
        else
            set_err(f->err, f->errlen, "%s: tensor \"%s\" does not have shape [%d]", f->path, name, d0);
        return NULL;
    }
    size_t bytes = (size_t)d0 * (d1 > 0 ? (size_t)d1 : 1) * 4;
    if (!of || of->type != JV_ARR || of->len != 2 || of->items[0].type != JV_NUM ||
        of->items[1].type != JV_NUM || of->items[0].num < 0 ||
        of->items[1].num > (double)f->data_len || of->items[1].num - of->items[0].num != (double)bytes) {
        set_err(f->err, f->errlen, "%s: tensor \"%s\" has bad data_offsets (file truncated or corrupt?)",
                f->path, name);
        return NULL;
    }
    return f->data + (size_t)of->items[0].num;
}

static float ld_f32(const unsigned char *p, size_t i)
{
    float v;
    memcpy(&v, p + i * 4, 4);
    return v;
}

static void copy_f32(float *dst, const unsigned char *src, size_t n)
{
    memcpy(dst, src, n * 4);
}

/* Drops the mapped pages of a tensor we have copied out of the file, so the
 * mapping never adds to the peak RSS while the arena fills up (the pages stay
 * in the page cache). */
static void st_release(const unsigned char *p, size_t bytes)
{
#ifdef MADV_DONTNEED
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t hi = ((uintptr_t)p + bytes) & ~(page - 1);
    if (page && hi > lo) madvise((void *)lo, hi - lo, MADV_DONTNEED);
#else
    (void)p; (void)bytes;
#endif
}

/* Packs W [N x K] (row-major, from the file) into panels (see linear()). */
static void pack_linear(float *dst, const unsigned char *w, int N, int K)
{
    for (int pn = 0; pn < N / NR; pn++)
        for (int k = 0; k < K; k++)
            for (int j = 0; j < NR; j++)
                dst[((size_t)pn * K + k) * NR + j] = ld_f32(w, (size_t)(pn * NR + j) * K + k);
}

static int load_weights(minilm_model *m, const char *dir, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        set_err(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return MINILM_EIO;
    }
    struct stat st;
    if (fstat(fd, &st) || st.st_size < 8) {
        close(fd);
        set_err(err, errlen, "%s: not a safetensors file (too short)", path);
        return MINILM_EFORMAT;
    }
    size_t size = (size_t)st.st_size;
    void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        set_err(err, errlen, "cannot map %s: %s", path, strerror(errno));
        return MINILM_EIO;
    }
    m->map = map;
    m->map_len = size;
    const unsigned char *base = map;
    uint64_t hlen = 0;
    for (int i = 7; i >= 0; i--) hlen = (hlen << 8) | base[i];
    if (hlen < 2 || hlen > 100u * 1024 * 1024 || hlen > size - 8) {
        set_err(err, errlen, "%s: not a safetensors file (bad header length %llu)", path,
                (unsigned long long)hlen);
        return MINILM_EFORMAT;
    }
    char jerr[128];
    jv *hdr = jv_parse((const char *)base + 8, (size_t)hlen, jerr, sizeof jerr);
    if (!hdr || hdr->type != JV_OBJ) {
        set_err(err, errlen, "%s: corrupt safetensors header (%s)", path, hdr ? "not an object" : jerr);
        jv_free(hdr);
        return MINILM_EFORMAT;
    }
    st_file f = { hdr, base + 8 + hlen, size - 8 - (size_t)hlen, path, err, errlen };
    {
        /* a cut-off download is the most likely corruption: say so plainly */
        double need = 0;
        for (size_t i = 0; i < hdr->len; i++) {
            const jv *of = jv_get(&hdr->items[i], "data_offsets");
            if (of && of->type == JV_ARR && of->len == 2 && of->items[1].type == JV_NUM &&
                of->items[1].num > need)
                need = of->items[1].num;
        }
        if (need > (double)f.data_len) {
            set_err(err, errlen, "%s is truncated: its header describes %.0f bytes of tensor data, "
                    "the file holds %zu", path, need, f.data_len);
            jv_free(hdr);
            return MINILM_EFORMAT;
        }
    }
    const int H = m->hidden, I = m->inter, L = m->layers;

    /* heap arena layout */
    size_t per_layer = (size_t)3 * H * H + 3 * H + (size_t)H * H + H + 2 * H + (size_t)I * H + I +
                       (size_t)H * I + H + 2 * H;
    size_t total = per_layer * L + (size_t)m->max_pos * H + H + 2 * H;
    m->arena = alloc64(total * sizeof(float));
    m->layer = calloc((size_t)L, sizeof *m->layer);
    if (!m->arena || !m->layer) {
        jv_free(hdr);
        set_err(err, errlen, "out of memory for weights (%zu MB)", total * 4 >> 20);
        return MINILM_ENOMEM;
    }
    m->arena_bytes = total * sizeof(float);
    float *a = m->arena;
    int rc = MINILM_EFORMAT;
    const unsigned char *t;

#define TAKE(ptr, count) do { ptr = a; a += (count); } while (0)
#define GET(name, d0, d1) do { if (!(t = st_tensor(&f, name, d0, d1))) goto out; } while (0)

    GET("embeddings.word_embeddings.weight", m->vocab_size, H);
    if (((uintptr_t)t & 3) == 0) {
        m->word_emb = (const float *)(const void *)t;
    } else {
        m->word_emb_copy = alloc64((size_t)m->vocab_size * H * 4);
        if (!m->word_emb_copy) { rc = MINILM_ENOMEM; set_err(err, errlen, "out of memory"); goto out; }
        copy_f32(m->word_emb_copy, t, (size_t)m->vocab_size * H);
        m->word_emb = m->word_emb_copy;
        st_release(t, (size_t)m->vocab_size * H * 4);
    }
    float *dst;
    GET("embeddings.position_embeddings.weight", m->max_pos, H);
    TAKE(dst, (size_t)m->max_pos * H); copy_f32(dst, t, (size_t)m->max_pos * H); m->pos_emb = dst;
    st_release(t, (size_t)m->max_pos * H * 4);
    GET("embeddings.token_type_embeddings.weight", m->type_vocab, H);
    TAKE(dst, H); copy_f32(dst, t, H); m->type_emb = dst; /* token type 0 only */
    GET("embeddings.LayerNorm.weight", H, 0);
    TAKE(dst, H); copy_f32(dst, t, H); m->emb_ln_g = dst;
    GET("embeddings.LayerNorm.bias", H, 0);
    TAKE(dst, H); copy_f32(dst, t, H); m->emb_ln_b = dst;

    for (int l = 0; l < L; l++) {
        minilm_layer *ly = &m->layer[l];
        char nm[160];
        static const char *const qkv[3] = { "query", "key", "value" };
        float *w, *b;
        TAKE(w, (size_t)3 * H * H);
        TAKE(b, (size_t)3 * H);
        /* Q, K and V are fused into one [3H x H] matrix: pack each third into
         * its own panels (H is a multiple of NR). */
        for (int i = 0; i < 3; i++) {
            snprintf(nm, sizeof nm, "encoder.layer.%d.attention.self.%s.weight", l, qkv[i]);
            GET(nm, H, H);
            pack_linear(w + (size_t)i * H * H, t, H, H);
            st_release(t, (size_t)H * H * 4);
            snprintf(nm, sizeof nm, "encoder.layer.%d.attention.self.%s.bias", l, qkv[i]);
            GET(nm, H, 0);
            copy_f32(b + (size_t)i * H, t, H);
        }
        ly->qkv_w = w; ly->qkv_b = b;

#define LINEAR(field_w, field_b, prefix, n_out, n_in)                                   \
    do {                                                                                \
        snprintf(nm, sizeof nm, "encoder.layer.%d.%s.weight", l, prefix);               \
        GET(nm, n_out, n_in);                                                           \
        TAKE(w, (size_t)(n_out) * (n_in)); pack_linear(w, t, n_out, n_in); ly->field_w = w; \
        st_release(t, (size_t)(n_out) * (n_in) * 4);                                    \
        snprintf(nm, sizeof nm, "encoder.layer.%d.%s.bias", l, prefix);                 \
        GET(nm, n_out, 0);                                                              \
        TAKE(b, n_out); copy_f32(b, t, n_out); ly->field_b = b;                         \
    } while (0)
#define VEC(field, name)                                                                \
    do {                                                                                \
        snprintf(nm, sizeof nm, "encoder.layer.%d.%s", l, name);                        \
        GET(nm, H, 0);                                                                  \
        TAKE(b, H); copy_f32(b, t, H); ly->field = b;                                   \
    } while (0)

        LINEAR(ao_w, ao_b, "attention.output.dense", H, H);
        VEC(ln1_g, "attention.output.LayerNorm.weight");
        VEC(ln1_b, "attention.output.LayerNorm.bias");
        LINEAR(ff1_w, ff1_b, "intermediate.dense", I, H);
        LINEAR(ff2_w, ff2_b, "output.dense", H, I);
        VEC(ln2_g, "output.LayerNorm.weight");
        VEC(ln2_b, "output.LayerNorm.bias");
    }
#undef LINEAR
#undef VEC
#undef GET
#undef TAKE
    /* Cheap sanity check that catches garbage (NaN/Inf) in the tensors we use. */
    for (size_t i = 0; i < total; i += 97) {
        if (!isfinite(m->arena[i])) {
            set_err(err, errlen, "%s: weights contain NaN/Inf (corrupt file?)", path);
            goto out;
        }
    }
    rc = MINILM_OK;
out:
    jv_free(hdr);
#ifdef MADV_DONTNEED
    /* Everything except the word-embedding table now lives in the arena; drop
     * the mapped pages from our RSS (they stay in the page cache, and rows of
     * the word-embedding table fault back in as tokens use them). */
    if (rc == MINILM_OK && !m->word_emb_copy) madvise(m->map, m->map_len, MADV_DONTNEED);
#endif
    if (rc == MINILM_OK && m->word_emb_copy) {
        munmap(m->map, m->map_len);
        m->map = NULL;
    }
    return rc;
}

void minilm_model_free(minilm_model *m)
{
    if (!m) return;
    if (m->map) munmap(m->map, m->map_len);
    free(m->arena);
    free(m->layer);
    free(m->word_emb_copy);
    minilm_vocab_free(&m->vocab);
    free(m);
}

int minilm_model_load(const char *model_dir, int max_tokens, minilm_model **out, char *err,
                      size_t errlen)
{
    if (out) *out = NULL;
    if (!model_dir || !*model_dir || !out) {
        set_err(err, errlen, "model_dir is not set");
        return MINILM_EINVAL;
    }
    struct stat st;
    if (stat(model_dir, &st)) {
        set_err(err, errlen, "model_dir %s: %s", model_dir, strerror(errno));
        return MINILM_EIO;
    }
    if (!S_ISDIR(st.st_mode)) {
        set_err(err, errlen, "model_dir %s is not a directory", model_dir);
        return MINILM_EINVAL;
    }
    if (strlen(model_dir) > 3000) {
        set_err(err, errlen, "model_dir path is too long");
        return MINILM_EINVAL;
    }
    minilm_model *m = calloc(1, sizeof *m);
    if (!m) {
        set_err(err, errlen, "out of memory");
        return MINILM_ENOMEM;
    }
    int rc = load_config(m, model_dir, err, errlen);
    if (rc) goto fail;
    if (max_tokens <= 0) max_tokens = sbert_max_seq(model_dir);
    if (max_tokens <= 0) max_tokens = MINILM_DEFAULT_MAX_TOKENS;
    if (max_tokens < 2 || max_tokens > m->max_pos) {
        set_err(err, errlen, "max_tokens %d is out of range [2, %d]", max_tokens, m->max_pos);
        rc = MINILM_EINVAL;
        goto fail;
    }
    m->max_tokens = max_tokens;
    char path[4096];
    snprintf(path, sizeof path, "%s/vocab.txt", model_dir);
    rc = minilm_vocab_load(&m->vocab, path, err, errlen);
    if (rc) goto fail;
    if (m->vocab.n != m->vocab_size) {
        set_err(err, errlen, "%s has %d entries but config.json says vocab_size %d", path,
                (int)m->vocab.n, m->vocab_size);
        rc = MINILM_EFORMAT;
        goto fail;
    }
    rc = load_weights(m, model_dir, err, errlen);
    if (rc) goto fail;
    *out = m;
    return MINILM_OK;
fail:
    minilm_model_free(m);
    return rc;
}

int minilm_model_dim(const minilm_model *m) { return m ? m->hidden : 0; }
int minilm_model_max_tokens(const minilm_model *m) { return m ? m->max_tokens : 0; }
size_t minilm_model_heap_bytes(const minilm_model *m)
{
    return m ? m->arena_bytes + (m->word_emb_copy ? (size_t)m->vocab_size * m->hidden * 4 : 0) : 0;
}

/* ======================================================================== */
/* Inference                                                                 */
/* ======================================================================== */

struct minilm_ctx {
    const minilm_model *m;
    int cap;                   /* max tokens */
    float *x, *qkv, *att, *tmp, *ff, *kt, *s;
    int32_t *ids;
};

void minilm_ctx_free(minilm_ctx *c)
{
    if (!c) return;
    free(c->x); free(c->qkv); free(c->att); free(c->tmp); free(c->ff); free(c->kt); free(c->s);
    free(c->ids);
    free(c);
}

int minilm_ctx_create(const minilm_model *m, minilm_ctx **out, char *err, size_t errlen)
{
    if (out) *out = NULL;
    if (!m || !out) {
        set_err(err, errlen, "no model");
        return MINILM_EINVAL;
    }
    minilm_ctx *c = calloc(1, sizeof *c);
    if (!c) goto oom;
    const size_t T = (size_t)m->max_tokens, H = (size_t)m->hidden;
    c->m = m;
    c->cap = m->max_tokens;
    c->x = alloc64(T * H * 4);
    c->qkv = alloc64(T * 3 * H * 4);
    c->att = alloc64(T * H * 4);
    c->tmp = alloc64(T * H * 4);
    c->ff = alloc64(T * (size_t)m->inter * 4);
    c->kt = alloc64(H * T * 4);
    c->s = alloc64(T * 4);
    c->ids = malloc(T * sizeof *c->ids);
    if (!c->x || !c->qkv || !c->att || !c->tmp || !c->ff || !c->kt || !c->s || !c->ids) goto oom;
    *out = c;
    return MINILM_OK;
oom:
    minilm_ctx_free(c);
    set_err(err, errlen, "out of memory for the inference workspace");
    return MINILM_ENOMEM;
}

int minilm_tokenize(const minilm_model *m, const char *text, size_t len, int32_t *ids, int max_ids)
{
    if (!m || (!text && len)) return MINILM_EINVAL;
    return minilm_wordpiece(&m->vocab, text ? text : "", len, m->max_tokens, ids, max_ids);
}

int minilm_embed_ids(minilm_ctx *c, const int32_t *ids, int T, float *out, char *err, size_t errlen)
{
    if (!c || !ids || !out) {
        set_err(err, errlen, "invalid argument");
        return MINILM_EINVAL;
    }
    const minilm_model *m = c->m;
    if (T < 1 || T > c->cap) {
        set_err(err, errlen, "sequence length %d is out of range [1, %d]", T, c->cap);
        return MINILM_EINVAL;
    }
    const int H = m->hidden, I = m->inter;
    float *x = c->x;
    for (int t = 0; t < T; t++) {
        if (ids[t] < 0 || ids[t] >= m->vocab_size) {
            set_err(err, errlen, "token id %d is out of range", (int)ids[t]);
            return MINILM_EINVAL;
        }
        const float *we = m->word_emb + (size_t)ids[t] * H, *pe = m->pos_emb + (size_t)t * H;
        float *row = x + (size_t)t * H;
        for (int i = 0; i < H; i++) row[i] = we[i] + pe[i] + m->type_emb[i];
    }
    add_layernorm(x, NULL, T, H, m->emb_ln_g, m->emb_ln_b, m->ln_eps);
    for (int l = 0; l < m->layers; l++) {
        const minilm_layer *ly = &m->layer[l];
        linear(x, T, H, ly->qkv_w, ly->qkv_b, 3 * H, c->qkv);
        attention(c->qkv, T, H, m->heads, c->att, c->kt, c->s);
        linear(c->att, T, H, ly->ao_w, ly->ao_b, H, c->tmp);
        add_layernorm(x, c->tmp, T, H, ly->ln1_g, ly->ln1_b, m->ln_eps);
        linear(x, T, H, ly->ff1_w, ly->ff1_b, I, c->ff);
        gelu_inplace(c->ff, (size_t)T * I);
        linear(c->ff, T, I, ly->ff2_w, ly->ff2_b, H, c->tmp);
        add_layernorm(x, c->tmp, T, H, ly->ln2_g, ly->ln2_b, m->ln_eps);
    }
    /* mean pooling over all tokens (the mask is all ones), then L2 norm */
    double norm = 0;
    for (int i = 0; i < H; i++) {
        double s = 0;
        for (int t = 0; t < T; t++) s += x[(size_t)t * H + i];
        out[i] = (float)(s / T);
        norm += (double)out[i] * out[i];
    }
    norm = sqrt(norm);
    const float inv = (float)(1.0 / (norm > 1e-12 ? norm : 1e-12));
    for (int i = 0; i < H; i++) out[i] *= inv;
    return MINILM_OK;
}

int minilm_embed(minilm_ctx *c, const char *text, size_t len, float *out, int *n_tokens,
                 char *err, size_t errlen)
{
    if (!c || (!text && len) || !out) {
        set_err(err, errlen, "invalid argument");
        return MINILM_EINVAL;
    }
    int n = minilm_wordpiece(&c->m->vocab, text ? text : "", len, c->cap, c->ids, c->cap);
    if (n_tokens) *n_tokens = n;
    return minilm_embed_ids(c, c->ids, n, out, err, errlen);
}

/* ---- test entry points ---------------------------------------------------- */

typedef struct {
    minilm_model *m;
    minilm_ctx *c;
} minilm_test_handle;

void *minilm_test_open(const char *model_dir, char *err, size_t errlen)
{
    minilm_test_handle *h = calloc(1, sizeof *h);
    if (!h) {
        set_err(err, errlen, "out of memory");
        return NULL;
    }
    if (minilm_model_load(model_dir, 0, &h->m, err, errlen) ||
        minilm_ctx_create(h->m, &h->c, err, errlen)) {
        minilm_test_close(h);
        return NULL;
    }
    return h;
}

void minilm_test_close(void *handle)
{
    minilm_test_handle *h = handle;
    if (!h) return;
    minilm_ctx_free(h->c);
    minilm_model_free(h->m);
    free(h);
}

int minilm_test_dim(void *handle)
{
    minilm_test_handle *h = handle;
    return h ? minilm_model_dim(h->m) : MINILM_EINVAL;
}

int minilm_embed_text(void *handle, const char *text, float *out)
{
    minilm_test_handle *h = handle;
    if (!h || !text || !out) return MINILM_EINVAL;
    int n = 0;
    int rc = minilm_embed(h->c, text, strlen(text), out, &n, NULL, 0);
    return rc ? rc : n;
}

int minilm_test_tokenize(void *handle, const char *text, size_t len, int32_t *ids, int max_ids)
{
    minilm_test_handle *h = handle;
    if (!h || (!text && len)) return MINILM_EINVAL;
    return minilm_tokenize(h->m, text, len, ids, max_ids);
}
