/*
 * clarifai_runner.h — the native model plugin ABI of clarifai-runner.
 *
 * This is the only header a plugin needs. A plugin is a shared library (.so) that exports ONE
 * symbol, `clarifai_runner_plugin`, and talks to the host only through the two function tables
 * declared below. Everything else about a plugin (C, C++, CUDA, a wrapper of llama.cpp, ONNX
 * Runtime or TensorRT) is its own business.
 *
 * ---------------------------------------------------------------------------------------------
 * COMPATIBILITY RULES (read these before changing anything in this file)
 * ---------------------------------------------------------------------------------------------
 *  1. Versions. CLARIFAI_RUNNER_ABI_MAJOR changes only for a break, and never in practice: a
 *     host loads a plugin only when the majors are equal. CLARIFAI_RUNNER_ABI_MINOR grows with
 *     every additive change. A plugin states in `clarifai_plugin_api.abi_minor` the smallest
 *     host minor it needs; the host refuses a plugin that needs a newer minor than it has, and
 *     accepts every plugin built for an equal or older minor.
 *  2. Additive evolution only. Every struct that crosses the boundary begins with
 *     `uint32_t struct_size`, written by whoever fills the struct, and new fields are only ever
 *     appended. A reader treats any field that lies beyond `struct_size` as zero / NULL, so old
 *     plugins work with new hosts and new plugins can detect old hosts (CLARIFAI_HAS_FIELD).
 *     Fields are never removed, reordered, retyped or given a new meaning.
 *  3. The first three fields of `clarifai_plugin_api` and `clarifai_host_api` (struct_size,
 *     abi_major, abi_minor) are frozen for every major version, so a mismatch can always be
 *     detected and reported.
 *  4. Fixed-width types only at the boundary (int32_t, uint32_t, size_t, float, pointers);
 *     booleans are int32_t 0/1; enumerations are int32_t with #defined values, so their size
 *     never depends on a compiler. Functions use the platform's C calling convention.
 *  5. No C++ exceptions, longjmp or signals may cross the boundary. A plugin catches everything
 *     and reports a status instead.
 *
 * ---------------------------------------------------------------------------------------------
 * OWNERSHIP RULES (one rule for every call)
 * ---------------------------------------------------------------------------------------------
 *  - Whatever a caller passes by pointer is BORROWED by the callee for the duration of that
 *    call only. Copy it if you need it later.
 *      * Host -> plugin: inputs, config, strings and the host table. (The host table itself
 *        is the exception: it stays valid from the entry point until `unload` returns.)
 *      * Plugin -> host: outputs passed to `emit`, messages passed to `fail` and `log`. The host
 *        copies them before returning, so a plugin may pass stack buffers and free them after.
 *  - Handles are opaque and owned by their creator:
 *      * clarifai_model, clarifai_instance, clarifai_session: created and freed by the plugin
 *        (`load`/`unload`, `instance_create`/`instance_destroy`, `stream_open`/`stream_close`).
 *        A plugin defines the structs behind them however it likes.
 *      * clarifai_call: created and freed by the host; valid only while the call that received
 *        it is running (for a stream session: from `stream_open` until `stream_close` returns).
 *  - Because every output is copied during `emit`, the ABI never needs a plugin free function.
 *
 * ---------------------------------------------------------------------------------------------
 * LIFECYCLE
 * ---------------------------------------------------------------------------------------------
 *   dlopen(RTLD_NOW | RTLD_LOCAL)
 *   clarifai_runner_plugin(host)          -> plugin table (negotiation)
 *   load(call, options, &model, &info)    -> once; `info` declares the threading contract
 *   instance_create(call, model, i, &ins) -> for i in 0 ..< instances (host decides, <= max)
 *       predict / generate / stream_*     -> many, on host threads, per the contract
 *   instance_destroy(ins)                 -> for every instance created
 *   unload(model)                         -> once; the plugin must have joined its own threads
 *   dlclose
 *
 * THREADING. The host calls the plugin only from threads it dedicates to the plugin, never from
 * an async runtime's shared pool, so plugin calls may block for as long as inference takes.
 * `load`, `instance_create`, `instance_destroy` and `unload` are never concurrent with each
 * other. Inference calls honour the plugin's `clarifai_model_info`: at most
 * `max_concurrent_calls_per_instance` calls run on one instance at a time, and the host creates
 * at most `max_instances` instances. Calls on different instances may run concurrently.
 * The host functions (`emit`, `fail`, `log`, `is_cancelled`) may be called from any thread.
 */
#ifndef CLARIFAI_RUNNER_H
#define CLARIFAI_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ============================================================================================
 * Versions and helpers
 * ========================================================================================== */

/** The ABI major version. A host loads only plugins with the same major. */
#define CLARIFAI_RUNNER_ABI_MAJOR 1
/** The ABI minor version of this header. Grows with every additive change. */
#define CLARIFAI_RUNNER_ABI_MINOR 0

/** The name of the one symbol a plugin must export; see clarifai_runner_plugin(). */
#define CLARIFAI_RUNNER_ENTRY_POINT "clarifai_runner_plugin"

/** Marks a function as exported from the plugin's shared library (use on the entry point). */
#if defined(_WIN32)
#define CLARIFAI_RUNNER_EXPORT __declspec(dllexport)
#else
#define CLARIFAI_RUNNER_EXPORT __attribute__((visibility("default")))
#endif

/**
 * Whether the struct at `ptr` (of type `type`) is large enough to contain `field`, according to
 * its `struct_size`. Use it before reading a field that was added in a later minor version than
 * the other side may have been built with.
 */
#define CLARIFAI_HAS_FIELD(ptr, type, field) \
    ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type *)0)->field))

/* ============================================================================================
 * Status codes
 * ========================================================================================== */

/**
 * The result of a call across the boundary. 0 is success; anything else is a failure of that
 * one call, never of the process. Values are stable forever; new codes may be added, and a
 * reader treats an unknown non-zero code like CLARIFAI_STATUS_INTERNAL.
 */
typedef int32_t clarifai_status;

/** Success. */
#define CLARIFAI_STATUS_OK 0
/** The call was cancelled: the caller went away or cancelled the request. Stop promptly. */
#define CLARIFAI_STATUS_CANCELLED 1
/** The input (or an output passed to `emit`) is malformed or not supported by this model. */
#define CLARIFAI_STATUS_INVALID_ARGUMENT 2
/** The requested mode or feature is not implemented. */
#define CLARIFAI_STATUS_UNSUPPORTED 3
/** A resource ran out: memory, a size limit, a queue. */
#define CLARIFAI_STATUS_RESOURCE_EXHAUSTED 4
/** The call came in the wrong state, e.g. `emit` after the FINAL output. */
#define CLARIFAI_STATUS_FAILED_PRECONDITION 5
/** Temporarily unavailable (e.g. a device is busy); the caller may retry later. */
#define CLARIFAI_STATUS_UNAVAILABLE 6
/** Any other failure inside the plugin or the host. */
#define CLARIFAI_STATUS_INTERNAL 7

/* ============================================================================================
 * Opaque handles
 * ========================================================================================== */

/**
 * The host's handle for one plugin call (a `load`, an `instance_create`, one `predict` or
 * `generate`, or a whole stream session). Owned by the host. Pass it back to the host
 * functions; never store it beyond the call it was given to.
 */
typedef struct clarifai_call clarifai_call;

/** A loaded model, created by the plugin in `load` and freed by it in `unload`. */
typedef struct clarifai_model clarifai_model;

/**
 * One instance of a loaded model (e.g. one context, one GPU stream, one llama.cpp context),
 * created by `instance_create` and freed by `instance_destroy`. Inference calls name the
 * instance they run on.
 */
typedef struct clarifai_instance clarifai_instance;

/** One open stream-stream session, created by `stream_open` and freed by `stream_close`. */
typedef struct clarifai_session clarifai_session;

/* ============================================================================================
 * Data crossing the boundary
 * ========================================================================================== */

/** The kind of media in `clarifai_input.bytes`. */
typedef int32_t clarifai_media_kind;
/** No bytes. */
#define CLARIFAI_MEDIA_NONE 0
/** `data.image.base64` of the request; `mime_type` is "image/png", "image/jpeg", ... or "image/x-unknown". */
#define CLARIFAI_MEDIA_IMAGE 1
/** `data.audio.base64`; `mime_type` begins with "audio/". */
#define CLARIFAI_MEDIA_AUDIO 2
/** `data.video.base64`; `mime_type` begins with "video/". */
#define CLARIFAI_MEDIA_VIDEO 3
/** Any other bytes (`data.bytes_value`); `mime_type` is "application/octet-stream". */
#define CLARIFAI_MEDIA_FILE 4

/** A configuration entry given to `load`. Both strings are NUL-terminated UTF-8. */
typedef struct clarifai_config_entry {
    /** The key, e.g. "threads" or "context_size". Never NULL. */
    const char *key;
    /** The value, always a string; the plugin parses numbers itself. Never NULL. */
    const char *value;
} clarifai_config_entry;

/**
 * What `load` is given. Filled by the host; borrowed by the plugin for the call.
 */
typedef struct clarifai_load_options {
    /** sizeof(clarifai_load_options) as the host knows it. */
    uint32_t struct_size;
    /** Reserved; 0. Keeps the pointers below naturally aligned on every platform. */
    uint32_t reserved0;
    /** The model directory (weights, vocabularies), NUL-terminated, or NULL if none was given. */
    const char *model_directory;
    /** The operator's configuration pairs, in the order given; keys are unique. */
    const clarifai_config_entry *config;
    /** The number of entries in `config` (may be 0, then `config` may be NULL). */
    size_t config_count;
} clarifai_load_options;

/** Flag for `clarifai_model_info.flags`: also hand the plugin the serialized request input. */
#define CLARIFAI_MODEL_WANTS_INPUT_PROTO 0x1u

/** Concurrency value meaning "as many concurrent calls as the host likes" (thread-safe instance). */
#define CLARIFAI_UNLIMITED 0xFFFFFFFFu

/**
 * The threading contract and capabilities a plugin declares in `load`.
 *
 * The host allocates it zero-filled, sets `struct_size`, and the plugin writes the fields it
 * knows. Zero always means the safest choice, so a plugin that writes nothing gets one
 * instance and one call at a time.
 */
typedef struct clarifai_model_info {
    /** sizeof(clarifai_model_info) as the host knows it. Set by the host; do not change. */
    uint32_t struct_size;
    /**
     * The most instances the host may create (0 means 1; CLARIFAI_UNLIMITED lets the host
     * choose, typically one per core). The host may create fewer.
     */
    uint32_t max_instances;
    /**
     * The most calls that may run on ONE instance at the same time (0 means 1: the host never
     * enters an instance twice; CLARIFAI_UNLIMITED: the instance is fully thread-safe). The host
     * may cap this by the number of threads it dedicates to the instance.
     */
    uint32_t max_concurrent_calls_per_instance;
    /** CLARIFAI_MODEL_* flags. */
    uint32_t flags;
} clarifai_model_info;

/**
 * One input of a request. Filled by the host; every pointer is borrowed for the call.
 *
 * Fields the request does not carry are NULL / 0. A request may carry text AND bytes (e.g. a
 * prompt with an image).
 */
typedef struct clarifai_input {
    /** sizeof(clarifai_input) as the host knows it. */
    uint32_t struct_size;
    /** The kind of `bytes` (CLARIFAI_MEDIA_*). */
    clarifai_media_kind media_kind;
    /** The input id from the request, NUL-terminated UTF-8 (may be empty, never NULL). */
    const char *id;
    /** `data.text.raw`: valid UTF-8, NUL-terminated, `text_length` bytes without the NUL; or NULL. */
    const char *text;
    /** Length of `text` in bytes, excluding the terminating NUL. */
    size_t text_length;
    /** The media bytes (already decoded from base64), or NULL. */
    const uint8_t *bytes;
    /** Length of `bytes`. */
    size_t bytes_length;
    /** The MIME type of `bytes`, NUL-terminated, or NULL when there are no bytes. */
    const char *mime_type;
    /** A URL the request gave instead of bytes (image, video, audio or text url), or NULL.
     *  The host does not fetch it. */
    const char *url;
    /**
     * The inference parameters of the request as a JSON object, NUL-terminated UTF-8
     * (e.g. {"temperature":0.7,"max_tokens":64}). "{}" when there are none; never NULL.
     */
    const char *params_json;
    /**
     * The escape hatch: the whole `clarifai.api.Input` protobuf, serialized, for data the plain
     * fields do not carry (regions, frames, metadata...). Only set when the plugin declared
     * CLARIFAI_MODEL_WANTS_INPUT_PROTO; otherwise NULL.
     */
    const uint8_t *proto;
    /** Length of `proto`. */
    size_t proto_length;
} clarifai_input;

/** One concept of a classification output: `data.concepts[i]`. */
typedef struct clarifai_concept {
    /** The concept id, NUL-terminated UTF-8, or NULL to use `name` as the id. */
    const char *id;
    /** The concept name, NUL-terminated UTF-8. Never NULL. */
    const char *name;
    /** The score, usually a probability in [0, 1]. */
    float value;
} clarifai_concept;

/**
 * One output, passed by the plugin to `emit`. Filled by the plugin (usually on its stack);
 * borrowed by the host, which copies everything before `emit` returns.
 *
 * Set any combination of fields; unset ones are NULL / 0. Each set field becomes part of the
 * same `clarifai.api.Output`. When `proto` is set it is decoded first, then the plain fields
 * overwrite the parts of `data` they name. The output's status is SUCCESS unless `proto` sets
 * one.
 */
typedef struct clarifai_output {
    /** sizeof(clarifai_output) as the plugin knows it. Must be set. */
    uint32_t struct_size;
    /** The kind of `bytes` (CLARIFAI_MEDIA_*): image -> data.image.base64, audio -> data.audio,
     *  video -> data.video, file -> data.bytes_value. */
    clarifai_media_kind media_kind;
    /** Text (`data.text.raw`): must be valid UTF-8; `text_length` bytes (no NUL needed), or NULL. */
    const char *text;
    /** Length of `text` in bytes. */
    size_t text_length;
    /** Media bytes (raw, not base64), or NULL. */
    const uint8_t *bytes;
    /** Length of `bytes`. */
    size_t bytes_length;
    /** Concepts (`data.concepts`), or NULL. */
    const clarifai_concept *concepts;
    /** Number of entries in `concepts`. */
    size_t concept_count;
    /** One embedding vector (`data.embeddings[0].vector`), or NULL. */
    const float *embedding;
    /** Number of floats in `embedding`. */
    size_t embedding_length;
    /** The escape hatch: a serialized `clarifai.api.Output` protobuf, or NULL. */
    const uint8_t *proto;
    /** Length of `proto`. */
    size_t proto_length;
} clarifai_output;

/** Flag for `emit`: this is the last output of the call. Any later `emit` fails. */
#define CLARIFAI_EMIT_FINAL 0x1u

/** Log levels for `clarifai_host_api.log`. */
typedef int32_t clarifai_log_level;
#define CLARIFAI_LOG_TRACE 0
#define CLARIFAI_LOG_DEBUG 1
#define CLARIFAI_LOG_INFO 2
#define CLARIFAI_LOG_WARNING 3
#define CLARIFAI_LOG_ERROR 4

/* ============================================================================================
 * The host table: what the host offers the plugin
 * ========================================================================================== */

/**
 * The host's functions, given to the entry point. Valid (and unchanged) from the entry point
 * until `unload` returns; a plugin usually keeps the pointer in a static variable. Every
 * function may be called from any thread.
 */
typedef struct clarifai_host_api {
    /** sizeof(clarifai_host_api) as the host knows it. Frozen position. */
    uint32_t struct_size;
    /** The host's CLARIFAI_RUNNER_ABI_MAJOR. Frozen position. */
    uint32_t abi_major;
    /** The host's CLARIFAI_RUNNER_ABI_MINOR; a plugin may use features up to this minor. Frozen position. */
    uint32_t abi_minor;
    /** Reserved; 0. */
    uint32_t reserved0;
    /** The host's name and version, e.g. "clarifai-runner/1.0", NUL-terminated. For logs. */
    const char *host_version;
    /** The largest output, in bytes, that `emit` accepts (sum of its text, bytes, concepts,
     *  embedding and proto). Larger outputs fail with CLARIFAI_STATUS_RESOURCE_EXHAUSTED. */
    size_t max_output_bytes;

    /**
     * Sends one output of `call` to the caller. The host copies `output` before returning.
     *
     * - predict: call exactly once (FINAL is implied).
     * - generate: once per output, in order; set CLARIFAI_EMIT_FINAL on the last one (or just
     *   return CLARIFAI_STATUS_OK, which ends the sequence too).
     * - stream: any number of times from `stream_open` until `stream_close` returns, from any
     *   thread; CLARIFAI_EMIT_FINAL says no more outputs will follow.
     *
     * May block while the caller is slow (back-pressure); never call it while holding a lock
     * another emitting thread needs. Returns:
     * - CLARIFAI_STATUS_OK: sent.
     * - CLARIFAI_STATUS_CANCELLED: the call was cancelled; stop and return.
     * - CLARIFAI_STATUS_INVALID_ARGUMENT: malformed output (invalid UTF-8, a NULL name...).
     * - CLARIFAI_STATUS_RESOURCE_EXHAUSTED: the output is larger than `max_output_bytes`.
     * - CLARIFAI_STATUS_FAILED_PRECONDITION: an output after the FINAL one.
     * After any failure the host fails the call, whatever the plugin returns later.
     */
    clarifai_status (*emit)(clarifai_call *call, const clarifai_output *output, uint32_t flags);

    /**
     * Records why `call` is failing and returns `status`, so a plugin writes
     * `return host->fail(call, CLARIFAI_STATUS_INVALID_ARGUMENT, "need a text input");`.
     * `message` is one line of NUL-terminated UTF-8 meant for the API caller; the host copies it.
     * The last message recorded before the plugin returns a non-OK status wins.
     */
    clarifai_status (*fail)(clarifai_call *call, clarifai_status status, const char *message);

    /**
     * Whether `call` was cancelled (1) or not (0). Cheap (an atomic load); poll it between
     * tokens, batches or layers. A cancelled call should return CLARIFAI_STATUS_CANCELLED soon.
     */
    int32_t (*is_cancelled)(clarifai_call *call);

    /**
     * Writes one line to the host's log; `message` is copied. `call` is any call handle that is
     * still valid, and the line carries its metadata (plugin, call, item). For lines not tied
     * to a request (background threads, a library's global log callback) use the `load` call,
     * which stays valid for `log` until `unload` returns. NULL is accepted, but the host can
     * then only attribute the line to some loaded plugin.
     */
    void (*log)(clarifai_call *call, clarifai_log_level level, const char *message);
} clarifai_host_api;

/* ============================================================================================
 * The plugin table: what the plugin offers the host
 * ========================================================================================== */

/**
 * The plugin's functions, returned by the entry point. Usually a `static const` object in the
 * plugin; it must stay valid until the library is closed. Optional functions may be NULL.
 */
typedef struct clarifai_plugin_api {
    /** sizeof(clarifai_plugin_api) as the plugin knows it. Frozen position. */
    uint32_t struct_size;
    /** CLARIFAI_RUNNER_ABI_MAJOR the plugin was built with. Must equal the host's. Frozen position. */
    uint32_t abi_major;
    /**
     * The smallest host ABI minor this plugin needs (usually CLARIFAI_RUNNER_ABI_MINOR of the
     * header it was built with). The host refuses the plugin if its own minor is smaller.
     * Frozen position.
     */
    uint32_t abi_minor;
    /** Reserved; 0. */
    uint32_t reserved0;
    /** A short name for logs and error messages, e.g. "llama-chat". NUL-terminated; may be NULL. */
    const char *name;
    /** The plugin's own version, e.g. "2.3.1". NUL-terminated; may be NULL. */
    const char *version;

    /**
     * Required. Loads the model once: read config, map weights, start shared resources.
     * `call` may be kept, for `log` only, until `unload` returns.
     * Fill `*model_out` (may be set to NULL if the plugin keeps no model state) and the fields of
     * `info` you care about. On failure, free what was allocated, call `fail` with the reason
     * and return non-OK; the host then reports the failure and closes the library without
     * calling `unload`.
     */
    clarifai_status (*load)(clarifai_call *call, const clarifai_load_options *options,
                            clarifai_model **model_out, clarifai_model_info *info);

    /**
     * Required. Frees the model. Called once, after every instance was destroyed and no other
     * call is running. All plugin threads must be joined before it returns, because the host
     * may close the library next.
     */
    void (*unload)(clarifai_model *model);

    /**
     * Optional. NULL means the model itself is the one and only instance: the host passes the
     * model pointer wherever an instance is expected and ignores `max_instances` (the per-instance
     * concurrency limit still applies). Otherwise creates instance number
     * `index` (0-based) of `model`. A failure fails the whole load: the host destroys the
     * instances already created and unloads the model.
     */
    clarifai_status (*instance_create)(clarifai_call *call, clarifai_model *model, uint32_t index,
                                       clarifai_instance **instance_out);

    /** Optional (must be NULL exactly when `instance_create` is NULL). Frees an instance. Never
     *  called while a call runs on that instance. */
    void (*instance_destroy)(clarifai_instance *instance);

    /**
     * Optional (NULL: unary mode unsupported). Unary mode: turns `input` into exactly one output,
     * passed to `host->emit(call, ...)` before returning CLARIFAI_STATUS_OK. A non-OK return fails
     * this input only.
     */
    clarifai_status (*predict)(clarifai_call *call, clarifai_instance *instance,
                               const clarifai_input *input);

    /**
     * Optional (NULL: generate mode unsupported). Generate mode: emits a sequence of outputs for
     * `input` (e.g. one per token) and returns when done. Poll `host->is_cancelled(call)` and stop
     * when `emit` returns non-OK. A non-OK return is sent to the caller after the outputs already
     * emitted.
     */
    clarifai_status (*generate)(clarifai_call *call, clarifai_instance *instance,
                                const clarifai_input *input);

    /**
     * Optional (NULL: stream mode unsupported; then `stream_push` and `stream_close` must be NULL
     * too). Opens a stream-stream session on `instance`. `call` names the whole session: it stays
     * valid, and outputs may be emitted through it from any thread, until `stream_close` returns.
     * `params_json` is the request's parameters, as in `clarifai_input.params_json`.
     * Sessions hold their own state; the host may run other calls on the same instance between
     * the calls of a session, within the instance's concurrency limit.
     */
    clarifai_status (*stream_open)(clarifai_call *call, clarifai_instance *instance,
                                   const char *params_json, clarifai_session **session_out);

    /**
     * Hands the next input of the stream to the session, in order; never concurrent with another
     * call of the same session. `call` is the session's call. A non-OK return fails the stream;
     * the host then calls `stream_close`.
     */
    clarifai_status (*stream_push)(clarifai_call *call, clarifai_session *session,
                                   const clarifai_input *input);

    /**
     * Ends the session: no more inputs will come (or the stream failed or was cancelled; see
     * `is_cancelled`). Emit any remaining outputs, free the session and return. Called exactly
     * once for every successful `stream_open`. After it returns, `call` is invalid.
     */
    clarifai_status (*stream_close)(clarifai_call *call, clarifai_session *session);
} clarifai_plugin_api;

/* ============================================================================================
 * The entry point
 * ========================================================================================== */

/**
 * The one symbol a plugin exports. The host calls it once, right after dlopen, before anything
 * else.
 *
 * `host` is the host's function table (see clarifai_host_api for its lifetime). The plugin
 * may check `host->abi_major` / `host->abi_minor` and return NULL to refuse a host it cannot
 * work with (after `host->log` saying why). Otherwise it returns its function table, which the
 * host checks: equal major, plugin `abi_minor` <= host minor, required functions present.
 *
 * Must not start threads or load weights; that belongs in `load`.
 */
CLARIFAI_RUNNER_EXPORT const clarifai_plugin_api *clarifai_runner_plugin(const clarifai_host_api *host);

/** The entry point's type, for hosts that resolve it with dlsym. */
typedef const clarifai_plugin_api *(*clarifai_runner_plugin_fn)(const clarifai_host_api *host);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CLARIFAI_RUNNER_H */
