// A library with the right shape but the wrong exported name: a typo in the entry point.
#include "clarifai_runner.h"

CLARIFAI_RUNNER_EXPORT const clarifai_plugin_api *clarifai_runner_plugin_v1(const clarifai_host_api *host) {
    (void)host;
    return NULL;
}
