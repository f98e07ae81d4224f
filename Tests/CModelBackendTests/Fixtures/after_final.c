// A plugin that keeps emitting after its FINAL output (generate) or emits twice in predict.
#include "fixture_common.h"

static clarifai_status predict(clarifai_call *call, clarifai_instance *instance, const clarifai_input *input) {
    (void)instance;
    (void)input;
    clarifai_output output = {.struct_size = sizeof output, .text = "first", .text_length = 5};
    host->emit(call, &output, 0);
    output.text = "again";
    host->emit(call, &output, 0);
    return CLARIFAI_STATUS_OK;
}

static clarifai_status generate(clarifai_call *call, clarifai_instance *instance, const clarifai_input *input) {
    (void)instance;
    (void)input;
    clarifai_output output = {.struct_size = sizeof output, .text = "last", .text_length = 4};
    if (host->emit(call, &output, CLARIFAI_EMIT_FINAL) != CLARIFAI_STATUS_OK) return CLARIFAI_STATUS_INTERNAL;
    output.text = "zombie";
    if (host->emit(call, &output, 0) != CLARIFAI_STATUS_FAILED_PRECONDITION) {
        return host->fail(call, CLARIFAI_STATUS_INTERNAL, "emit after FINAL was accepted");
    }
    return CLARIFAI_STATUS_OK;
}

static const clarifai_plugin_api table = {
    .struct_size = sizeof(clarifai_plugin_api),
    .abi_major = CLARIFAI_RUNNER_ABI_MAJOR,
    .abi_minor = CLARIFAI_RUNNER_ABI_MINOR,
    .name = "after-final",
    .load = fixture_load,
    .unload = fixture_unload,
    .predict = predict,
    .generate = generate,
};

FIXTURE_ENTRY(table)
