/* json.h - a small JSON reader (DOM) for config files and safetensors headers. */
#ifndef MINILM_JSON_H
#define MINILM_JSON_H

#include <stddef.h>

typedef enum { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ } jv_type;

typedef struct jv {
    jv_type type;
    double num;          /* JV_NUM, JV_BOOL (0/1) */
    char *str;           /* JV_STR: NUL-terminated, UTF-8 */
    size_t len;          /* JV_STR length in bytes; JV_ARR/JV_OBJ item count */
    struct jv *items;    /* JV_ARR/JV_OBJ values */
    char **keys;         /* JV_OBJ keys (parallel to items) */
} jv;

/* Parse text[0..n). Returns NULL on error and writes a message to err. */
jv *jv_parse(const char *text, size_t n, char *err, size_t errlen);
void jv_free(jv *v);
/* Object member by key, or NULL. */
const jv *jv_get(const jv *obj, const char *key);

#endif
