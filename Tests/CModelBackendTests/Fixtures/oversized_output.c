// A plugin that emits an output larger than the host's max_output_bytes, and reports what emit said.
#include "fixture_common.h"

#include <stdio.h>
#include <string.h>

static clarifai_status predict(clarifai_call *call, clarifai_instance *instance, const clarifai_input *input) {
    (void)instance;
    (void)input;
    size_t size = host->max_output_bytes + 1;
    unsigned char *bytes = malloc(size);
    if (bytes == NULL) return host->fail(call, CLARIFAI_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    memset(bytes, 0xAB, size);
    clarifai_output output = {
        .struct_size = sizeof output, .media_kind = CLARIFAI_MEDIA_IMAGE, .bytes = bytes, .bytes_length = size,
    };
    clarifai_status status = host->emit(call, &output, CLARIFAI_EMIT_FINAL);
    free(bytes);
    if (status != CLARIFAI_STATUS_RESOURCE_EXHAUSTED) {
        return host->fail(call, CLARIFAI_STATUS_INTERNAL, "emit accepted an oversized output");
    }
    return status;
}

static const clarifai_plugin_api table = {
    .struct_size = sizeof(clarifai_plugin_api),
    .abi_major = CLARIFAI_RUNNER_ABI_MAJOR,
    .abi_minor = CLARIFAI_RUNNER_ABI_MINOR,
    .name = "oversized-output",
    .load = fixture_load,
    .unload = fixture_unload,
    .predict = predict,
};

FIXTURE_ENTRY(table)
