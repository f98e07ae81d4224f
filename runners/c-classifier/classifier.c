// c-classifier: a unary text -> concepts plugin (keyword sentiment).
//
// Shows the smallest useful plugin: a model with configuration, a stateless and therefore
// thread-safe instance, input validation with `fail`, and a concepts output built on the stack.
#include "clarifai_runner.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Kept from the entry point until unload; the ABI guarantees it stays valid that long.
static const clarifai_host_api *host;

#define MAX_WORDS 256
#define MAX_WORD_LENGTH 32

// The model: two word lists. Instances share it read-only, so concurrent calls are safe.
struct clarifai_model {
    char words[2][MAX_WORDS][MAX_WORD_LENGTH];
    size_t count[2];
};

enum { POSITIVE = 0, NEGATIVE = 1 };

static const char *const default_words[2] = {
    "good,great,excellent,love,like,happy,wonderful,amazing,best,nice,fantastic,enjoy,glad",
    "bad,terrible,awful,hate,dislike,sad,horrible,worst,poor,angry,boring,ugly,broken",
};

// Adds the comma-separated words of `list` to one side; words are lower-cased ASCII.
static void add_words(struct clarifai_model *model, int side, const char *list) {
    const char *p = list;
    while (*p != '\0') {
        while (*p == ',' || *p == ' ') p++;
        size_t n = 0;
        char word[MAX_WORD_LENGTH];
        while (*p != '\0' && *p != ',' && *p != ' ') {
            if (n + 1 < sizeof word) word[n++] = (char)tolower((unsigned char)*p);
            p++;
        }
        word[n] = '\0';
        if (n > 0 && model->count[side] < MAX_WORDS) {
            memcpy(model->words[side][model->count[side]++], word, n + 1);
        }
    }
}

static int contains(const struct clarifai_model *model, int side, const char *word) {
    for (size_t i = 0; i < model->count[side]; i++) {
        if (strcmp(model->words[side][i], word) == 0) return 1;
    }
    return 0;
}

static clarifai_status classifier_load(clarifai_call *call, const clarifai_load_options *options,
                                       clarifai_model **model_out, clarifai_model_info *info) {
    struct clarifai_model *model = calloc(1, sizeof *model);
    if (model == NULL) return host->fail(call, CLARIFAI_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    add_words(model, POSITIVE, default_words[POSITIVE]);
    add_words(model, NEGATIVE, default_words[NEGATIVE]);
    // Operators extend the vocabulary without rebuilding: --config positive_words=neat,superb
    for (size_t i = 0; i < options->config_count; i++) {
        const clarifai_config_entry *entry = &options->config[i];
        if (strcmp(entry->key, "positive_words") == 0) add_words(model, POSITIVE, entry->value);
        else if (strcmp(entry->key, "negative_words") == 0) add_words(model, NEGATIVE, entry->value);
    }
    *model_out = model;
    // Read-only state: one instance serves any number of concurrent calls.
    info->max_instances = 1;
    info->max_concurrent_calls_per_instance = CLARIFAI_UNLIMITED;
    char line[96];
    snprintf(line, sizeof line, "c-classifier loaded %zu positive and %zu negative words",
             model->count[POSITIVE], model->count[NEGATIVE]);
    host->log(call, CLARIFAI_LOG_INFO, line);
    return CLARIFAI_STATUS_OK;
}

static void classifier_unload(clarifai_model *model) { free(model); }

static clarifai_status classifier_predict(clarifai_call *call, clarifai_instance *instance,
                                          const clarifai_input *input) {
    // Without instance_create the host passes the model as the instance.
    const struct clarifai_model *model = (const struct clarifai_model *)(void *)instance;
    if (input->text == NULL) {
        return host->fail(call, CLARIFAI_STATUS_INVALID_ARGUMENT, "c-classifier needs a text input");
    }
    size_t hits[2] = {0, 0};
    const char *p = input->text;
    const char *end = input->text + input->text_length;
    while (p < end) {
        while (p < end && !isalpha((unsigned char)*p)) p++;
        char word[MAX_WORD_LENGTH];
        size_t n = 0;
        while (p < end && isalpha((unsigned char)*p)) {
            if (n + 1 < sizeof word) word[n++] = (char)tolower((unsigned char)*p);
            p++;
        }
        word[n] = '\0';
        if (n == 0) continue;
        if (contains(model, POSITIVE, word)) hits[POSITIVE]++;
        if (contains(model, NEGATIVE, word)) hits[NEGATIVE]++;
    }
    // Laplace smoothing: no keywords at all reads as an even 0.5 / 0.5.
    float positive = (float)(hits[POSITIVE] + 1) / (float)(hits[POSITIVE] + hits[NEGATIVE] + 2);
    clarifai_concept concepts[2];
    concepts[0] = (clarifai_concept){.id = "positive", .name = "positive", .value = positive};
    concepts[1] = (clarifai_concept){.id = "negative", .name = "negative", .value = 1.0f - positive};
    if (concepts[1].value > concepts[0].value) {
        clarifai_concept swap = concepts[0];
        concepts[0] = concepts[1];
        concepts[1] = swap;
    }
    clarifai_output output = {
        .struct_size = sizeof output,
        .concepts = concepts,
        .concept_count = 2,
    };
    // The host copies the concepts before emit returns, so stack storage is fine.
    return host->emit(call, &output, CLARIFAI_EMIT_FINAL);
}

static const clarifai_plugin_api plugin = {
    .struct_size = sizeof(clarifai_plugin_api),
    .abi_major = CLARIFAI_RUNNER_ABI_MAJOR,
    .abi_minor = CLARIFAI_RUNNER_ABI_MINOR,
    .name = "c-classifier",
    .version = "1.0.0",
    .load = classifier_load,
    .unload = classifier_unload,
    .predict = classifier_predict,
};

CLARIFAI_RUNNER_EXPORT const clarifai_plugin_api *clarifai_runner_plugin(const clarifai_host_api *host_api) {
    if (host_api->abi_major != CLARIFAI_RUNNER_ABI_MAJOR) return NULL;
    host = host_api;
    return &plugin;
}
