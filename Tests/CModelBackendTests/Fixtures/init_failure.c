// A plugin whose load fails, as when the weights are missing.
#include "fixture_common.h"

#include <stdio.h>

static clarifai_status failing_load(clarifai_call *call, const clarifai_load_options *options,
                                    clarifai_model **model_out, clarifai_model_info *info) {
    (void)model_out;
    (void)info;
    char message[256];
    snprintf(message, sizeof message, "weights.bin not found in %s",
             options->model_directory ? options->model_directory : "(no model directory)");
    return host->fail(call, CLARIFAI_STATUS_UNAVAILABLE, message);
}

static clarifai_status never_called(clarifai_call *call, clarifai_instance *instance, const clarifai_input *input) {
    (void)instance;
    (void)input;
    return host->fail(call, CLARIFAI_STATUS_INTERNAL, "must not be called");
}

static const clarifai_plugin_api table = {
    .struct_size = sizeof(clarifai_plugin_api),
    .abi_major = CLARIFAI_RUNNER_ABI_MAJOR,
    .abi_minor = CLARIFAI_RUNNER_ABI_MINOR,
    .name = "init-failure",
    .load = failing_load,
    .unload = fixture_unload,
    .predict = never_called,
};

FIXTURE_ENTRY(table)
