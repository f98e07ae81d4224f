// c-stream-stats: a stream-stream plugin keeping running statistics over numeric text inputs.
//
// Shows sessions: state lives in the session, not the instance, so one thread-safe instance
// serves many streams. Each input ("3", or "1 2 3.5") updates the count, mean, min, max and
// standard deviation (Welford's method, numerically stable) and emits them both as text and as
// a float vector [count, mean, min, max, stddev]. Closing the stream emits a FINAL summary.
#include "clarifai_runner.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const clarifai_host_api *host;

struct clarifai_session {
    unsigned long count;
    double mean;
    double m2;  // sum of squared deviations from the mean
    double min;
    double max;
};

static void add_sample(struct clarifai_session *s, double x) {
    s->count++;
    if (s->count == 1 || x < s->min) s->min = x;
    if (s->count == 1 || x > s->max) s->max = x;
    double delta = x - s->mean;
    s->mean += delta / (double)s->count;
    s->m2 += delta * (x - s->mean);
}

static clarifai_status emit_stats(clarifai_call *call, const struct clarifai_session *s,
                                  const char *prefix, uint32_t flags) {
    double stddev = s->count > 0 ? sqrt(s->m2 / (double)s->count) : 0.0;
    char text[160];
    int length = snprintf(text, sizeof text, "%scount=%lu mean=%.6g min=%.6g max=%.6g stddev=%.6g",
                          prefix, s->count, s->mean, s->min, s->max, stddev);
    float vector[5] = {(float)s->count, (float)s->mean, (float)s->min, (float)s->max, (float)stddev};
    clarifai_output output = {
        .struct_size = sizeof output,
        .text = text,
        .text_length = (size_t)length,
        .embedding = vector,
        .embedding_length = 5,
    };
    return host->emit(call, &output, flags);
}

static clarifai_status stats_load(clarifai_call *call, const clarifai_load_options *options,
                                  clarifai_model **model_out, clarifai_model_info *info) {
    (void)call;
    (void)options;
    *model_out = NULL;  // nothing to load: all state is per session
    info->max_instances = 1;
    info->max_concurrent_calls_per_instance = CLARIFAI_UNLIMITED;
    return CLARIFAI_STATUS_OK;
}

static void stats_unload(clarifai_model *model) { (void)model; }

static clarifai_status stats_open(clarifai_call *call, clarifai_instance *instance,
                                  const char *params_json, clarifai_session **session_out) {
    (void)instance;
    (void)params_json;
    struct clarifai_session *session = calloc(1, sizeof *session);
    if (session == NULL) return host->fail(call, CLARIFAI_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    *session_out = session;
    return CLARIFAI_STATUS_OK;
}

static clarifai_status stats_push(clarifai_call *call, clarifai_session *session,
                                  const clarifai_input *input) {
    if (input->text == NULL) {
        return host->fail(call, CLARIFAI_STATUS_INVALID_ARGUMENT, "c-stream-stats needs text inputs");
    }
    const char *p = input->text;  // NUL-terminated by the ABI
    int parsed = 0;
    for (;;) {
        while (*p == ' ' || *p == ',' || *p == '\n' || *p == '\t') p++;
        if (*p == '\0') break;
        char *end = NULL;
        errno = 0;
        double x = strtod(p, &end);
        if (end == p || errno == ERANGE || !isfinite(x)) {
            char message[96];
            snprintf(message, sizeof message, "c-stream-stats: not a number: \"%.40s\"", p);
            return host->fail(call, CLARIFAI_STATUS_INVALID_ARGUMENT, message);
        }
        add_sample(session, x);
        parsed++;
        p = end;
    }
    if (parsed == 0) return CLARIFAI_STATUS_OK;  // an empty message changes nothing
    return emit_stats(call, session, "", 0);
}

static clarifai_status stats_close(clarifai_call *call, clarifai_session *session) {
    clarifai_status status = CLARIFAI_STATUS_OK;
    // A cancelled stream has nobody to read the summary.
    if (!host->is_cancelled(call)) status = emit_stats(call, session, "final ", CLARIFAI_EMIT_FINAL);
    free(session);
    return status;
}

static const clarifai_plugin_api plugin = {
    .struct_size = sizeof(clarifai_plugin_api),
    .abi_major = CLARIFAI_RUNNER_ABI_MAJOR,
    .abi_minor = CLARIFAI_RUNNER_ABI_MINOR,
    .name = "c-stream-stats",
    .version = "1.0.0",
    .load = stats_load,
    .unload = stats_unload,
    .stream_open = stats_open,
    .stream_push = stats_push,
    .stream_close = stats_close,
};

CLARIFAI_RUNNER_EXPORT const clarifai_plugin_api *clarifai_runner_plugin(const clarifai_host_api *host_api) {
    if (host_api->abi_major != CLARIFAI_RUNNER_ABI_MAJOR) return NULL;
    host = host_api;
    return &plugin;
}
