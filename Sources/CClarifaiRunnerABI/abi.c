// Compile-time guards for the plugin ABI: if an edit to clarifai_runner.h moves a frozen field,
// this file stops compiling, long before a plugin built against an older header misbehaves.
#include "clarifai_runner.h"

#include <stddef.h>

// The negotiation fields must sit at the same offsets in every major version (rule 3).
_Static_assert(offsetof(clarifai_plugin_api, struct_size) == 0, "frozen field moved");
_Static_assert(offsetof(clarifai_plugin_api, abi_major) == 4, "frozen field moved");
_Static_assert(offsetof(clarifai_plugin_api, abi_minor) == 8, "frozen field moved");
_Static_assert(offsetof(clarifai_host_api, struct_size) == 0, "frozen field moved");
_Static_assert(offsetof(clarifai_host_api, abi_major) == 4, "frozen field moved");
_Static_assert(offsetof(clarifai_host_api, abi_minor) == 8, "frozen field moved");

// Fixed widths at the boundary (rule 4).
_Static_assert(sizeof(clarifai_status) == 4, "status must be 32-bit");
_Static_assert(sizeof(clarifai_media_kind) == 4, "media kind must be 32-bit");
_Static_assert(sizeof(clarifai_log_level) == 4, "log level must be 32-bit");

#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
// The v1.0 layouts on LP64 platforms. New fields are appended, so these sizes may only grow,
// and only together with CLARIFAI_RUNNER_ABI_MINOR; the offsets of existing fields never change.
_Static_assert(offsetof(clarifai_plugin_api, load) == 32, "v1.0 layout changed");
_Static_assert(offsetof(clarifai_plugin_api, stream_close) == 96, "v1.0 layout changed");
_Static_assert(offsetof(clarifai_host_api, emit) == 32, "v1.0 layout changed");
_Static_assert(offsetof(clarifai_host_api, log) == 56, "v1.0 layout changed");
_Static_assert(offsetof(clarifai_input, params_json) == 64, "v1.0 layout changed");
_Static_assert(offsetof(clarifai_input, proto_length) == 80, "v1.0 layout changed");
_Static_assert(offsetof(clarifai_output, proto_length) == 80, "v1.0 layout changed");
_Static_assert(offsetof(clarifai_model_info, flags) == 12, "v1.0 layout changed");
_Static_assert(offsetof(clarifai_load_options, config_count) == 24, "v1.0 layout changed");
#endif
