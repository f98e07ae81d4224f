/*
 * noop_plugin.c: a native model that does no work, for the benchmark. It measures what the
 * host (loading, threads, copying outputs across the ABI) costs on top of the runner itself.
 *
 *   predict  -> the input text, unchanged
 *   generate -> one output per space-separated word of the input text
 *   stream   -> each incoming text, unchanged
 *
 * Built by the benchmark at run time:
 *   cc -shared -fPIC -O2 -I Sources/CClarifaiRunnerABI/include -o libnoop.so Benchmarks/NoopPlugin/noop_plugin.c
 */
#include <stdlib.h>
#include <string.h>

#include "clarifai_runner.h"

static const clarifai_host_api *host;

static clarifai_status emit_text(clarifai_call *call, const char *text, size_t length) {
    clarifai_output output;
    memset(&output, 0, sizeof output);
    output.struct_size = sizeof output;
    output.text = text;
    output.text_length = length;
    return host->emit(call, &output, 0);
}

static clarifai_status noop_load(clarifai_call *call, const clarifai_load_options *options,
                                 clarifai_model **model_out, clarifai_model_info *info) {
    (void)call;
    (void)options;
    *model_out = NULL;
    /* Stateless, so fully thread-safe: let the host run as many calls at once as it likes. */
    info->max_concurrent_calls_per_instance = CLARIFAI_UNLIMITED;
    return CLARIFAI_STATUS_OK;
}

static void noop_unload(clarifai_model *model) { (void)model; }

static clarifai_status noop_predict(clarifai_call *call, clarifai_instance *instance, const clarifai_input *input) {
    (void)instance;
    return emit_text(call, input->text ? input->text : "", input->text ? input->text_length : 0);
}

static clarifai_status noop_generate(clarifai_call *call, clarifai_instance *instance, const clarifai_input *input) {
    (void)instance;
    const char *text = input->text ? input->text : "";
    size_t length = input->text ? input->text_length : 0;
    size_t start = 0;
    for (size_t i = 0; i <= length; i++) {
        if (i == length || text[i] == ' ') {
            if (i > start) {
                clarifai_status status = emit_text(call, text + start, i - start);
                if (status != CLARIFAI_STATUS_OK) return status;
            }
            start = i + 1;
        }
    }
    return CLARIFAI_STATUS_OK;
}

/* A session needs no state, but the ABI wants a handle: any non-NULL pointer that close frees. */
static clarifai_status noop_stream_open(clarifai_call *call, clarifai_instance *instance,
                                        const char *params_json, clarifai_session **session_out) {
    (void)call;
    (void)instance;
    (void)params_json;
    *session_out = malloc(1);
    return *session_out ? CLARIFAI_STATUS_OK : CLARIFAI_STATUS_RESOURCE_EXHAUSTED;
}

static clarifai_status noop_stream_push(clarifai_call *call, clarifai_session *session, const clarifai_input *input) {
    (void)session;
    return emit_text(call, input->text ? input->text : "", input->text ? input->text_length : 0);
}

static clarifai_status noop_stream_close(clarifai_call *call, clarifai_session *session) {
    (void)call;
    free(session);
    return CLARIFAI_STATUS_OK;
}

static const clarifai_plugin_api plugin = {
    .struct_size = sizeof(clarifai_plugin_api),
    .abi_major = CLARIFAI_RUNNER_ABI_MAJOR,
    .abi_minor = CLARIFAI_RUNNER_ABI_MINOR,
    .name = "bench-noop",
    .version = "1.0",
    .load = noop_load,
    .unload = noop_unload,
    .predict = noop_predict,
    .generate = noop_generate,
    .stream_open = noop_stream_open,
    .stream_push = noop_stream_push,
    .stream_close = noop_stream_close,
};

CLARIFAI_RUNNER_EXPORT const clarifai_plugin_api *clarifai_runner_plugin(const clarifai_host_api *h) {
    host = h;
    return &plugin;
}
