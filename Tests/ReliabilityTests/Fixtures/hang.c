// A plugin that hangs: "hang" waits until the host cancels the call (a cooperative hang), "stuck"
// ignores cancellation for 6 s (a model stuck in native code), anything else echoes. generate
// emits one token, then hangs cooperatively.
#include "clarifai_runner.h"

#include <string.h>
#include <time.h>

static const clarifai_host_api *host;

static void nap(long milliseconds) {
    struct timespec delay = {.tv_sec = milliseconds / 1000, .tv_nsec = (milliseconds % 1000) * 1000000L};
    nanosleep(&delay, NULL);
}

static clarifai_status wait_for_cancel(clarifai_call *call) {
    for (int i = 0; i < 6000 && !host->is_cancelled(call); i++) nap(10);
    return CLARIFAI_STATUS_CANCELLED;
}

static clarifai_status load(clarifai_call *call, const clarifai_load_options *options, clarifai_model **model,
                            clarifai_model_info *info) {
    (void)call;
    (void)options;
    info->max_instances = 1;
    info->max_concurrent_calls_per_instance = 8;
    *model = NULL;
    return CLARIFAI_STATUS_OK;
}

static void unload(clarifai_model *model) { (void)model; }

static clarifai_status predict(clarifai_call *call, clarifai_instance *instance, const clarifai_input *input) {
    (void)instance;
    if (input->text != NULL && strcmp(input->text, "hang") == 0) return wait_for_cancel(call);
    if (input->text != NULL && strcmp(input->text, "stuck") == 0) nap(6000);
    clarifai_output output = {.struct_size = sizeof output, .text = input->text, .text_length = input->text_length};
    return host->emit(call, &output, CLARIFAI_EMIT_FINAL);
}

static clarifai_status generate(clarifai_call *call, clarifai_instance *instance, const clarifai_input *input) {
    (void)instance;
    (void)input;
    clarifai_output output = {.struct_size = sizeof output, .text = "first", .text_length = 5};
    if (host->emit(call, &output, 0) != CLARIFAI_STATUS_OK) return CLARIFAI_STATUS_CANCELLED;
    return wait_for_cancel(call);
}

static const clarifai_plugin_api table = {
    .struct_size = sizeof(clarifai_plugin_api),
    .abi_major = CLARIFAI_RUNNER_ABI_MAJOR,
    .abi_minor = CLARIFAI_RUNNER_ABI_MINOR,
    .name = "hang",
    .load = load,
    .unload = unload,
    .predict = predict,
    .generate = generate,
};

CLARIFAI_RUNNER_EXPORT const clarifai_plugin_api *clarifai_runner_plugin(const clarifai_host_api *host_api) {
    host = host_api;
    return &table;
}
