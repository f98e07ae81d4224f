/* json.c - a small recursive-descent JSON parser (RFC 8259 subset that is
 * enough for config.json and safetensors headers; strict about syntax). */
#include "json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JV_MAX_DEPTH 64

typedef struct {
    const char *p, *end;
    char *err;
    size_t errlen;
    int failed;
} jp;

static void jp_fail(jp *s, const char *msg)
{
    if (!s->failed && s->err && s->errlen)
        snprintf(s->err, s->errlen, "%s", msg);
    s->failed = 1;
}

static void jp_ws(jp *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static size_t put_utf8(char *o, unsigned cp)
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

static int read_hex4(jp *s, unsigned *out)
{
    if (s->end - s->p < 4) return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(s->p[i]);
        if (h < 0) return -1;
        v = v * 16 + (unsigned)h;
    }
    s->p += 4;
    *out = v;
    return 0;
}

/* Parses a string starting after the opening quote. */
static char *jp_string(jp *s, size_t *outlen)
{
    const char *q = s->p;
    size_t cap = 0;
    while (q < s->end && *q != '"') { /* upper bound of the decoded size */
        if (*q == '\\') q++;
        q++;
        cap++;
    }
    if (q >= s->end) { jp_fail(s, "unterminated string"); return NULL; }
    char *o = malloc(cap * 4 + 1);
    if (!o) { jp_fail(s, "out of memory"); return NULL; }
    size_t n = 0;
    while (s->p < s->end && *s->p != '"') {
        unsigned char c = (unsigned char)*s->p++;
        if (c < 0x20) { jp_fail(s, "control character in string"); free(o); return NULL; }
        if (c != '\\') { o[n++] = (char)c; continue; }
        if (s->p >= s->end) break;
        char e = *s->p++;
        switch (e) {
        case '"': o[n++] = '"'; break;
        case '\\': o[n++] = '\\'; break;
        case '/': o[n++] = '/'; break;
        case 'b': o[n++] = '\b'; break;
        case 'f': o[n++] = '\f'; break;
        case 'n': o[n++] = '\n'; break;
        case 'r': o[n++] = '\r'; break;
        case 't': o[n++] = '\t'; break;
        case 'u': {
            unsigned cp;
            if (read_hex4(s, &cp)) { jp_fail(s, "bad \\u escape"); free(o); return NULL; }
            if (cp >= 0xD800 && cp < 0xDC00) {
                unsigned lo;
                if (s->end - s->p >= 6 && s->p[0] == '\\' && s->p[1] == 'u') {
                    s->p += 2;
                    if (read_hex4(s, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
                        jp_fail(s, "bad surrogate pair"); free(o); return NULL;
                    }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else {
                    cp = 0xFFFD;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            n += put_utf8(o + n, cp);
            break;
        }
        default:
            jp_fail(s, "bad escape in string"); free(o); return NULL;
        }
    }
    if (s->p >= s->end) { jp_fail(s, "unterminated string"); free(o); return NULL; }
    s->p++; /* closing quote */
    o[n] = 0;
    *outlen = n;
    return o;
}

static void jv_clear(jv *v);

static int jp_value(jp *s, jv *v, int depth)
{
    memset(v, 0, sizeof *v);
    if (depth > JV_MAX_DEPTH) { jp_fail(s, "JSON nested too deeply"); return -1; }
    jp_ws(s);
    if (s->p >= s->end) { jp_fail(s, "unexpected end of JSON"); return -1; }
    char c = *s->p;
    if (c == '{' || c == '[') {
        int obj = c == '{';
        char close = obj ? '}' : ']';
        size_t cap = 0;
        v->type = obj ? JV_OBJ : JV_ARR;
        s->p++;
        jp_ws(s);
        if (s->p < s->end && *s->p == close) { s->p++; return 0; }
        for (;;) {
            if (v->len == cap) {
                size_t nc = cap ? cap * 2 : 8;
                jv *ni = realloc(v->items, nc * sizeof *ni);
                if (!ni) { jp_fail(s, "out of memory"); return -1; }
                v->items = ni;
                if (obj) {
                    char **nk = realloc(v->keys, nc * sizeof *nk);
                    if (!nk) { jp_fail(s, "out of memory"); return -1; }
                    v->keys = nk;
                }
                cap = nc;
            }
            if (obj) {
                size_t kl;
                jp_ws(s);
                if (s->p >= s->end || *s->p != '"') { jp_fail(s, "expected object key"); return -1; }
                s->p++;
                char *k = jp_string(s, &kl);
                if (!k) return -1;
                v->keys[v->len] = k;
                jp_ws(s);
                if (s->p >= s->end || *s->p != ':') {
                    free(k);
                    jp_fail(s, "expected ':'");
                    return -1;
                }
                s->p++;
            }
            if (jp_value(s, &v->items[v->len], depth + 1)) {
                if (obj) free(v->keys[v->len]);
                jv_clear(&v->items[v->len]);
                return -1;
            }
            v->len++;
            jp_ws(s);
            if (s->p < s->end && *s->p == ',') { s->p++; continue; }
            if (s->p < s->end && *s->p == close) { s->p++; return 0; }
            jp_fail(s, obj ? "expected ',' or '}'" : "expected ',' or ']'");
            return -1;
        }
    }
    if (c == '"') {
        s->p++;
        v->type = JV_STR;
        v->str = jp_string(s, &v->len);
        return v->str ? 0 : -1;
    }
    if (c == 't' && s->end - s->p >= 4 && !memcmp(s->p, "true", 4)) {
        v->type = JV_BOOL; v->num = 1; s->p += 4; return 0;
    }
    if (c == 'f' && s->end - s->p >= 5 && !memcmp(s->p, "false", 5)) {
        v->type = JV_BOOL; v->num = 0; s->p += 5; return 0;
    }
    if (c == 'n' && s->end - s->p >= 4 && !memcmp(s->p, "null", 4)) {
        v->type = JV_NULL; s->p += 4; return 0;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        /* Parsed by hand: strtod() follows the process locale (a host that set
         * LC_NUMERIC to de_DE would read "0.02" as 0). Integers up to 2^53 are
         * exact; other values are within a few ulp, plenty for config files. */
        int neg = 0, digits = 0, frac = 0, exp = 0, eneg = 0, edigits = 0;
        double mant = 0;
        if (*s->p == '-') { neg = 1; s->p++; }
        while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
            mant = mant * 10 + (*s->p++ - '0');
            digits++;
        }
        if (s->p < s->end && *s->p == '.') {
            s->p++;
            while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
                mant = mant * 10 + (*s->p++ - '0');
                frac++;
            }
            if (!frac) { jp_fail(s, "bad number"); return -1; }
        }
        if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
            s->p++;
            if (s->p < s->end && (*s->p == '+' || *s->p == '-')) eneg = *s->p++ == '-';
            while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
                if (exp < 100000) exp = exp * 10 + (*s->p - '0');
                s->p++;
                edigits++;
            }
            if (!edigits) { jp_fail(s, "bad number"); return -1; }
        }
        if (!digits) { jp_fail(s, "bad number"); return -1; }
        int e10 = (eneg ? -exp : exp) - frac;
        double num = mant;
        if (e10 > 0) num *= pow(10.0, e10 > 400 ? 400 : e10);
        else if (e10 < 0) num /= pow(10.0, -e10 > 400 ? 400 : -e10);
        v->type = JV_NUM;
        v->num = neg ? -num : num;
        return 0;
    }
    jp_fail(s, "unexpected character in JSON");
    return -1;
}

static void jv_clear(jv *v)
{
    if (!v) return;
    if (v->type == JV_ARR || v->type == JV_OBJ) {
        for (size_t i = 0; i < v->len; i++) {
            jv_clear(&v->items[i]);
            if (v->keys) free(v->keys[i]);
        }
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    memset(v, 0, sizeof *v);
}

jv *jv_parse(const char *text, size_t n, char *err, size_t errlen)
{
    jp s = { text, text + n, err, errlen, 0 };
    jv *v = calloc(1, sizeof *v);
    if (!v) { jp_fail(&s, "out of memory"); return NULL; }
    if (jp_value(&s, v, 0) == 0) {
        jp_ws(&s);
        if (s.p == s.end) return v;
        jp_fail(&s, "trailing characters after JSON value");
    }
    jv_clear(v);
    free(v);
    return NULL;
}

void jv_free(jv *v)
{
    if (!v) return;
    jv_clear(v);
    free(v);
}

const jv *jv_get(const jv *obj, const char *key)
{
    if (!obj || obj->type != JV_OBJ) return NULL;
    for (size_t i = 0; i < obj->len; i++)
        if (!strcmp(obj->keys[i], key)) return &obj->items[i];
    return NULL;
}
