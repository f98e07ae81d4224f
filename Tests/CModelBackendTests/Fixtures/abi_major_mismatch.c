// A plugin built for a future, incompatible ABI 2.x.
#include "fixture_common.h"

static clarifai_status never_called(clarifai_call *call, clarifai_instance *instance, const clarifai_input *input) {
    (void)instance;
    (void)input;
    return host->fail(call, CLARIFAI_STATUS_INTERNAL, "must not be called");
}

static const clarifai_plugin_api table = {
    .struct_size = sizeof(clarifai_plugin_api),
    .abi_major = CLARIFAI_RUNNER_ABI_MAJOR + 1,
    .abi_minor = 0,
    .name = "abi-major-mismatch",
    .load = fixture_load,
    .unload = fixture_unload,
    .predict = never_called,
};

FIXTURE_ENTRY(table)
