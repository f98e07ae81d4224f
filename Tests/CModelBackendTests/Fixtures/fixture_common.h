// Shared boilerplate for the test fixtures: each fixture is one deliberately broken (or deliberately
// strict) plugin, built by the tests with `cc -shared -fPIC`.
#ifndef FIXTURE_COMMON_H
#define FIXTURE_COMMON_H

#include "clarifai_runner.h"

#include <stdlib.h>

static const clarifai_host_api *host;

__attribute__((unused)) static clarifai_status fixture_load(clarifai_call *call, const clarifai_load_options *options,
                                    clarifai_model **model_out, clarifai_model_info *info) {
    (void)call;
    (void)options;
    (void)info;
    *model_out = NULL;
    return CLARIFAI_STATUS_OK;
}

__attribute__((unused)) static void fixture_unload(clarifai_model *model) { (void)model; }

#define FIXTURE_ENTRY(table)                                                                  \
    CLARIFAI_RUNNER_EXPORT const clarifai_plugin_api *clarifai_runner_plugin(                 \
        const clarifai_host_api *host_api) {                                                  \
        host = host_api;                                                                      \
        return &(table);                                                                      \
    }

#endif
