// A plugin that emits bytes that are not UTF-8 as text (a truncated multi-byte token, typically).
#include "fixture_common.h"

static clarifai_status predict(clarifai_call *call, clarifai_instance *instance, const clarifai_input *input) {
    (void)instance;
    (void)input;
    static const char broken[] = {'o', 'k', (char)0xE2, (char)0x82};  // "ok" + half of "€"
    clarifai_output output = {.struct_size = sizeof output, .text = broken, .text_length = sizeof broken};
    return host->emit(call, &output, CLARIFAI_EMIT_FINAL);
}

static clarifai_status generate(clarifai_call *call, clarifai_instance *instance, const clarifai_input *input) {
    (void)instance;
    (void)input;
    clarifai_output good = {.struct_size = sizeof good, .text = "fine", .text_length = 4};
    if (host->emit(call, &good, 0) != CLARIFAI_STATUS_OK) return CLARIFAI_STATUS_CANCELLED;
    static const char broken[] = {(char)0xC3, (char)0x28};
    clarifai_output bad = {.struct_size = sizeof bad, .text = broken, .text_length = sizeof broken};
    clarifai_status status = host->emit(call, &bad, 0);
    // A well-behaved plugin stops here; pretend success to prove the host still fails the call.
    (void)status;
    return CLARIFAI_STATUS_OK;
}

static const clarifai_plugin_api table = {
    .struct_size = sizeof(clarifai_plugin_api),
    .abi_major = CLARIFAI_RUNNER_ABI_MAJOR,
    .abi_minor = CLARIFAI_RUNNER_ABI_MINOR,
    .name = "invalid-utf8",
    .load = fixture_load,
    .unload = fixture_unload,
    .predict = predict,
    .generate = generate,
};

FIXTURE_ENTRY(table)
