/* plugin.c - the clarifai-runner ABI adapter of the minilm-embed model core.
 *
 * Config keys (--model-config key=value):
 *   model_dir      folder with config.json, vocab.txt, model.safetensors
 *                  (falls back to the host's model directory when not given)
 *   max_tokens     sequence limit incl. [CLS]/[SEP] (default: the model's
 *                  sentence_bert_config.json max_seq_length, else 256)
 *   max_instances  how many instances to allow (default: one per online CPU;
 *                  the forward pass is compute-bound, so more only adds latency)
 *
 * Threading contract: one model (read-only weights, shared by all instances)
 * and up to max_instances instances, each owning a private workspace; one call
 * at a time per instance.
 * Unary mode only: text in, one L2-normalised embedding out.
 */
#define _POSIX_C_SOURCE 200809L
#include "clarifai_runner.h"
#include "minilm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PLUGIN_NAME "minilm-embed"
#define PLUGIN_VERSION "1.0.0"

struct clarifai_model {
    minilm_model *m;
};

struct clarifai_instance {
    minilm_ctx *ctx;
    int dim;
};

static const clarifai_host_api *g_host;

static void plog(clarifai_call *call, clarifai_log_level level, const char *msg)
{
    if (g_host && g_host->log) g_host->log(call, level, msg);
}

static clarifai_status pfail(clarifai_call *call, clarifai_status st, const char *msg)
{
    if (g_host && g_host->fail) return g_host->fail(call, st, msg);
    return st;
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

static clarifai_status plugin_load(clarifai_call *call, const clarifai_load_options *options,
                                   clarifai_model **model_out, clarifai_model_info *info)
{
    char msg[1024];
    const char *dir = NULL;
    long max_tokens = 0, max_instances = 0;
    *model_out = NULL;

    if (options && CLARIFAI_HAS_FIELD(options, clarifai_load_options, config_count)) {
        for (size_t i = 0; i < options->config_count; i++) {
            const clarifai_config_entry *e = &options->config[i];
            if (!strcmp(e->key, "model_dir")) {
                dir = e->value;
            } else if (!strcmp(e->key, "max_tokens")) {
                if (parse_int(e->value, 2, 512, &max_tokens)) {
                    snprintf(msg, sizeof msg, PLUGIN_NAME ": max_tokens must be an integer in [2, 512], got '%s'", e->value);
                    return pfail(call, CLARIFAI_STATUS_INVALID_ARGUMENT, msg);
                }
            } else if (!strcmp(e->key, "max_instances")) {
                if (parse_int(e->value, 1, 1024, &max_instances)) {
                    snprintf(msg, sizeof msg, PLUGIN_NAME ": max_instances must be an integer in [1, 1024], got '%s'", e->value);
                    return pfail(call, CLARIFAI_STATUS_INVALID_ARGUMENT, msg);
                }
            } else {
                snprintf(msg, sizeof msg, PLUGIN_NAME ": ignoring unknown config key '%s' "
                         "(known: model_dir, max_tokens, max_instances)", e->key);
                plog(call, CLARIFAI_LOG_WARNING, msg);
            }
        }
    }
    if (!dir && options && CLARIFAI_HAS_FIELD(options, clarifai_load_options, model_directory))
        dir = options->model_directory;
    if (!dir || !*dir)
        return pfail(call, CLARIFAI_STATUS_INVALID_ARGUMENT,
                     PLUGIN_NAME ": no model directory; pass --model-config model_dir=DIR, where DIR "
                     "holds config.json, vocab.txt and model.safetensors of all-MiniLM-L6-v2");

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char err[768];
    minilm_model *m = NULL;
    int rc = minilm_model_load(dir, (int)max_tokens, &m, err, sizeof err);
    if (rc) {
        snprintf(msg, sizeof msg, PLUGIN_NAME ": cannot load the model: %s", err);
        return pfail(call, rc == MINILM_ENOMEM ? CLARIFAI_STATUS_RESOURCE_EXHAUSTED
                                               : CLARIFAI_STATUS_INVALID_ARGUMENT, msg);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    clarifai_model *model = calloc(1, sizeof *model);
    if (!model) {
        minilm_model_free(m);
        return pfail(call, CLARIFAI_STATUS_RESOURCE_EXHAUSTED, PLUGIN_NAME ": out of memory");
    }
    model->m = m;
    if (info) {
        if (max_instances <= 0) {
            long cpus = sysconf(_SC_NPROCESSORS_ONLN);
            max_instances = cpus > 0 ? (cpus < 1024 ? cpus : 1024) : 1;
        }
        if (CLARIFAI_HAS_FIELD(info, clarifai_model_info, max_instances))
            info->max_instances = (uint32_t)max_instances;
        if (CLARIFAI_HAS_FIELD(info, clarifai_model_info, max_concurrent_calls_per_instance))
            info->max_concurrent_calls_per_instance = 1;
    }
    snprintf(msg, sizeof msg, PLUGIN_NAME ": loaded %s in %.0f ms (dim %d, max %d tokens, "
             "%.1f MB weights, up to %ld instances)",
             dir, (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6,
             minilm_model_dim(m), minilm_model_max_tokens(m),
             minilm_model_heap_bytes(m) / 1048576.0, max_instances);
    plog(call, CLARIFAI_LOG_INFO, msg);
    *model_out = model;
    return CLARIFAI_STATUS_OK;
}

static void plugin_unload(clarifai_model *model)
{
    if (!model) return;
    minilm_model_free(model->m);
    free(model);
}

static clarifai_status plugin_instance_create(clarifai_call *call, clarifai_model *model,
                                              uint32_t index, clarifai_instance **out)
{
    (void)index;
    char err[256], msg[320];
    *out = NULL;
    if (!model || !model->m) return pfail(call, CLARIFAI_STATUS_FAILED_PRECONDITION, "no model");
    clarifai_instance *ins = calloc(1, sizeof *ins);
    if (!ins) return pfail(call, CLARIFAI_STATUS_RESOURCE_EXHAUSTED, PLUGIN_NAME ": out of memory");
    if (minilm_ctx_create(model->m, &ins->ctx, err, sizeof err)) {
        free(ins);
        snprintf(msg, sizeof msg, PLUGIN_NAME ": %s", err);
        return pfail(call, CLARIFAI_STATUS_RESOURCE_EXHAUSTED, msg);
    }
    ins->dim = minilm_model_dim(model->m);
    *out = ins;
    return CLARIFAI_STATUS_OK;
}

static void plugin_instance_destroy(clarifai_instance *ins)
{
    if (!ins) return;
    minilm_ctx_free(ins->ctx);
    free(ins);
}

static clarifai_status plugin_predict(clarifai_call *call, clarifai_instance *ins,
                                      const clarifai_input *input)
{
    char err[256], msg[320];
    if (!ins || !ins->ctx) return pfail(call, CLARIFAI_STATUS_FAILED_PRECONDITION, "no instance");
    if (!input || !input->text)
        return pfail(call, CLARIFAI_STATUS_INVALID_ARGUMENT,
                     PLUGIN_NAME " embeds text: the input needs data.text.raw");
    if (g_host && g_host->is_cancelled && g_host->is_cancelled(call))
        return CLARIFAI_STATUS_CANCELLED;
    float vec[4096];
    if (ins->dim > (int)(sizeof vec / sizeof vec[0]))
        return pfail(call, CLARIFAI_STATUS_INTERNAL, PLUGIN_NAME ": embedding too wide");
    int rc = minilm_embed(ins->ctx, input->text, input->text_length, vec, NULL, err, sizeof err);
    if (rc) {
        snprintf(msg, sizeof msg, PLUGIN_NAME ": %s", err);
        return pfail(call, rc == MINILM_ENOMEM ? CLARIFAI_STATUS_RESOURCE_EXHAUSTED
                                               : CLARIFAI_STATUS_INTERNAL, msg);
    }
    clarifai_output out;
    memset(&out, 0, sizeof out);
    out.struct_size = (uint32_t)sizeof out;
    out.embedding = vec;
    out.embedding_length = (size_t)ins->dim;
    return g_host->emit(call, &out, CLARIFAI_EMIT_FINAL);
}

static const clarifai_plugin_api plugin_api = {
    .struct_size = sizeof(clarifai_plugin_api),
    .abi_major = CLARIFAI_RUNNER_ABI_MAJOR,
    .abi_minor = 0, /* uses nothing newer than minor 0 */
    .name = PLUGIN_NAME,
    .version = PLUGIN_VERSION,
    .load = plugin_load,
    .unload = plugin_unload,
    .instance_create = plugin_instance_create,
    .instance_destroy = plugin_instance_destroy,
    .predict = plugin_predict,
};

CLARIFAI_RUNNER_EXPORT const clarifai_plugin_api *clarifai_runner_plugin(const clarifai_host_api *host)
{
    if (!host || host->abi_major != CLARIFAI_RUNNER_ABI_MAJOR || !host->emit || !host->fail) {
        if (host && host->log && host->abi_major == CLARIFAI_RUNNER_ABI_MAJOR)
            host->log(NULL, CLARIFAI_LOG_ERROR, PLUGIN_NAME ": host lacks emit/fail");
        return NULL;
    }
    g_host = host;
    return &plugin_api;
}
