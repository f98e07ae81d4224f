// A plugin that declares one call at a time per instance and checks it: every instance counts
// the calls inside it with an atomic counter and fails any call that finds another one there.
// It also records the peak number of calls inside the plugin as a whole.
#include "fixture_common.h"

#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

struct clarifai_instance {
    uint32_t index;
    atomic_int inside;
};

static atomic_int inside_plugin;
static atomic_int peak_inside_plugin;
static atomic_int overlaps;

static clarifai_status load(clarifai_call *call, const clarifai_load_options *options,
                            clarifai_model **model_out, clarifai_model_info *info) {
    (void)call;
    (void)options;
    *model_out = NULL;
    info->max_instances = 2;
    info->max_concurrent_calls_per_instance = 1;
    return CLARIFAI_STATUS_OK;
}

static clarifai_status instance_create(clarifai_call *call, clarifai_model *model, uint32_t index,
                                       clarifai_instance **instance_out) {
    (void)model;
    struct clarifai_instance *instance = calloc(1, sizeof *instance);
    if (instance == NULL) return host->fail(call, CLARIFAI_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    instance->index = index;
    atomic_init(&instance->inside, 0);
    *instance_out = instance;
    return CLARIFAI_STATUS_OK;
}

static void instance_destroy(clarifai_instance *instance) { free(instance); }

static clarifai_status predict(clarifai_call *call, clarifai_instance *instance, const clarifai_input *input) {
    (void)input;
    int before = atomic_fetch_add(&instance->inside, 1);
    int now = atomic_fetch_add(&inside_plugin, 1) + 1;
    int peak = atomic_load(&peak_inside_plugin);
    while (now > peak && !atomic_compare_exchange_weak(&peak_inside_plugin, &peak, now)) {}
    // Stay inside long enough for an overlap to be likely if the host allowed one.
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 2 * 1000 * 1000};
    nanosleep(&pause, NULL);
    atomic_fetch_sub(&inside_plugin, 1);
    atomic_fetch_sub(&instance->inside, 1);
    if (before != 0) {
        atomic_fetch_add(&overlaps, 1);
        return host->fail(call, CLARIFAI_STATUS_INTERNAL, "concurrent entry into one instance");
    }
    char text[96];
    int length = snprintf(text, sizeof text, "instance=%u peak=%d overlaps=%d", instance->index,
                          atomic_load(&peak_inside_plugin), atomic_load(&overlaps));
    clarifai_output output = {.struct_size = sizeof output, .text = text, .text_length = (size_t)length};
    return host->emit(call, &output, CLARIFAI_EMIT_FINAL);
}

static const clarifai_plugin_api table = {
    .struct_size = sizeof(clarifai_plugin_api),
    .abi_major = CLARIFAI_RUNNER_ABI_MAJOR,
    .abi_minor = CLARIFAI_RUNNER_ABI_MINOR,
    .name = "one-call-per-instance",
    .load = load,
    .unload = fixture_unload,
    .instance_create = instance_create,
    .instance_destroy = instance_destroy,
    .predict = predict,
};

FIXTURE_ENTRY(table)
