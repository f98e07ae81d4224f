// c-generator: a token-streaming generate plugin.
//
// Stands in for an LLM wrapper (llama.cpp and friends): each instance owns a "context" that
// must not be entered twice, outputs go out one token at a time, and generation stops as soon as
// the caller cancels.
//
// Behaviour: with {"count": N} in the parameters it counts "1" .. "N"; otherwise it emits the
// input text one whitespace-separated word at a time. Config `token_delay_ms` (default 0) or the
// parameter {"token_delay_ms": M} slows it down to look like a real model.
#define _POSIX_C_SOURCE 200809L
#include "clarifai_runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const clarifai_host_api *host;

struct clarifai_model {
    long token_delay_ms;
};

// Per-instance state, like a KV cache: the reason this plugin asks for one call at a time.
struct clarifai_instance {
    const struct clarifai_model *model;
    unsigned long tokens_generated;
};

// Reads a non-negative integer parameter from a flat JSON object. Deliberately tiny: a real plugin
// would use a JSON library; this keeps the example dependency-free.
static long json_integer(const char *json, const char *key, long fallback) {
    char quoted[64];
    snprintf(quoted, sizeof quoted, "\"%s\"", key);
    const char *p = strstr(json, quoted);
    if (p == NULL) return fallback;
    p = strchr(p + strlen(quoted), ':');
    if (p == NULL) return fallback;
    char *end = NULL;
    double value = strtod(p + 1, &end);
    if (end == p + 1 || value < 0) return fallback;
    return (long)value;
}

static void sleep_ms(long ms) {
    if (ms <= 0) return;
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static clarifai_status generator_load(clarifai_call *call, const clarifai_load_options *options,
                                      clarifai_model **model_out, clarifai_model_info *info) {
    struct clarifai_model *model = calloc(1, sizeof *model);
    if (model == NULL) return host->fail(call, CLARIFAI_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    for (size_t i = 0; i < options->config_count; i++) {
        if (strcmp(options->config[i].key, "token_delay_ms") == 0) {
            model->token_delay_ms = strtol(options->config[i].value, NULL, 10);
        }
    }
    *model_out = model;
    info->max_instances = 2;                       // two contexts fit in "memory"
    info->max_concurrent_calls_per_instance = 1;   // a context is single-threaded
    return CLARIFAI_STATUS_OK;
}

static void generator_unload(clarifai_model *model) { free(model); }

static clarifai_status generator_instance_create(clarifai_call *call, clarifai_model *model,
                                                 uint32_t index, clarifai_instance **instance_out) {
    (void)index;
    struct clarifai_instance *instance = calloc(1, sizeof *instance);
    if (instance == NULL) return host->fail(call, CLARIFAI_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    instance->model = model;
    *instance_out = instance;
    return CLARIFAI_STATUS_OK;
}

static void generator_instance_destroy(clarifai_instance *instance) { free(instance); }

// Emits one token; a non-OK result means "stop now" (cancelled, or the host refused the output).
static clarifai_status emit_token(clarifai_call *call, struct clarifai_instance *instance,
                                  const char *token, size_t length, long delay_ms) {
    if (host->is_cancelled(call)) return CLARIFAI_STATUS_CANCELLED;
    sleep_ms(delay_ms);  // "compute" the token
    clarifai_output output = {.struct_size = sizeof output, .text = token, .text_length = length};
    clarifai_status status = host->emit(call, &output, 0);
    if (status == CLARIFAI_STATUS_OK) instance->tokens_generated++;
    return status;
}

static clarifai_status generator_generate(clarifai_call *call, clarifai_instance *instance,
                                          const clarifai_input *input) {
    long delay = json_integer(input->params_json, "token_delay_ms", instance->model->token_delay_ms);
    long count = json_integer(input->params_json, "count", -1);
    if (count >= 0) {
        char token[32];
        for (long i = 1; i <= count; i++) {
            int length = snprintf(token, sizeof token, "%ld", i);
            clarifai_status status = emit_token(call, instance, token, (size_t)length, delay);
            if (status != CLARIFAI_STATUS_OK) return status;
        }
        return CLARIFAI_STATUS_OK;
    }
    if (input->text == NULL) {
        return host->fail(call, CLARIFAI_STATUS_INVALID_ARGUMENT,
                          "c-generator needs a text input or a \"count\" parameter");
    }
    const char *p = input->text;
    const char *end = p + input->text_length;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\n' || *p == '\t')) p++;
        const char *start = p;
        while (p < end && *p != ' ' && *p != '\n' && *p != '\t') p++;
        if (p == start) break;
        // Words are split at ASCII whitespace only, so every token stays valid UTF-8.
        clarifai_status status = emit_token(call, instance, start, (size_t)(p - start), delay);
        if (status != CLARIFAI_STATUS_OK) return status;
    }
    return CLARIFAI_STATUS_OK;
}

static const clarifai_plugin_api plugin = {
    .struct_size = sizeof(clarifai_plugin_api),
    .abi_major = CLARIFAI_RUNNER_ABI_MAJOR,
    .abi_minor = CLARIFAI_RUNNER_ABI_MINOR,
    .name = "c-generator",
    .version = "1.0.0",
    .load = generator_load,
    .unload = generator_unload,
    .instance_create = generator_instance_create,
    .instance_destroy = generator_instance_destroy,
    .generate = generator_generate,
};

CLARIFAI_RUNNER_EXPORT const clarifai_plugin_api *clarifai_runner_plugin(const clarifai_host_api *host_api) {
    if (host_api->abi_major != CLARIFAI_RUNNER_ABI_MAJOR) return NULL;
    host = host_api;
    return &plugin;
}
