// A plugin that fails some calls with a message: "boom" fails internally, no text is an invalid
// input, anything else echoes. generate emits two tokens, then fails.
#include "fixture_common.h"

#include <string.h>

static clarifai_status predict(clarifai_call *call, clarifai_instance *instance, const clarifai_input *input) {
    (void)instance;
    if (input->text == NULL) return host->fail(call, CLARIFAI_STATUS_INVALID_ARGUMENT, "text required");
    if (strcmp(input->text, "boom") == 0) return host->fail(call, CLARIFAI_STATUS_INTERNAL, "kernel exploded\non two lines");
    if (strcmp(input->text, "silent") == 0) return CLARIFAI_STATUS_UNAVAILABLE;
    if (strcmp(input->text, "nothing") == 0) return CLARIFAI_STATUS_OK;
    clarifai_output output = {.struct_size = sizeof output, .text = input->text, .text_length = input->text_length};
    return host->emit(call, &output, CLARIFAI_EMIT_FINAL);
}

static clarifai_status generate(clarifai_call *call, clarifai_instance *instance, const clarifai_input *input) {
    (void)instance;
    (void)input;
    clarifai_output output = {.struct_size = sizeof output, .text = "one", .text_length = 3};
    if (host->emit(call, &output, 0) != CLARIFAI_STATUS_OK) return CLARIFAI_STATUS_CANCELLED;
    output.text = "two";
    if (host->emit(call, &output, 0) != CLARIFAI_STATUS_OK) return CLARIFAI_STATUS_CANCELLED;
    return host->fail(call, CLARIFAI_STATUS_RESOURCE_EXHAUSTED, "out of KV cache");
}

static const clarifai_plugin_api table = {
    .struct_size = sizeof(clarifai_plugin_api),
    .abi_major = CLARIFAI_RUNNER_ABI_MAJOR,
    .abi_minor = CLARIFAI_RUNNER_ABI_MINOR,
    .name = "call-error",
    .load = fixture_load,
    .unload = fixture_unload,
    .predict = predict,
    .generate = generate,
};

FIXTURE_ENTRY(table)
