/* test_plugin.c - drives libminilm_embed.so through the ABI with a fake host:
 * negotiation, load errors (missing / corrupt model dir), instances on two
 * threads, predict, unload.   ./test_plugin ./libminilm_embed.so MODEL_DIR */
#define _POSIX_C_SOURCE 200809L
#include "clarifai_runner.h"

#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct clarifai_call {
    float vec[1024];
    size_t n;
    int emits;
    clarifai_status fail_status;
    char fail_msg[1024];
};

static int passed, failed;
#define CHECK(cond, ...)                                             \
    do {                                                             \
        if (cond) { passed++; }                                      \
        else { failed++; printf("FAIL %s:%d: ", __FILE__, __LINE__); \
               printf(__VA_ARGS__); printf("\n"); }                  \
    } while (0)

static clarifai_status h_emit(clarifai_call *c, const clarifai_output *o, uint32_t flags)
{
    (void)flags;
    c->emits++;
    c->n = o->embedding_length;
    if (o->embedding && o->embedding_length <= 1024) memcpy(c->vec, o->embedding, c->n * 4);
    return CLARIFAI_STATUS_OK;
}
static clarifai_status h_fail(clarifai_call *c, clarifai_status st, const char *m)
{
    c->fail_status = st;
    snprintf(c->fail_msg, sizeof c->fail_msg, "%s", m);
    return st;
}
static int32_t h_cancelled(clarifai_call *c) { (void)c; return 0; }
static void h_log(clarifai_call *c, clarifai_log_level l, const char *m)
{
    (void)c;
    printf("  [plugin log %d] %s\n", (int)l, m);
}

static const clarifai_host_api host = {
    sizeof(clarifai_host_api), CLARIFAI_RUNNER_ABI_MAJOR, CLARIFAI_RUNNER_ABI_MINOR, 0,
    "test-host/0", 1 << 20, h_emit, h_fail, h_cancelled, h_log,
};

static const clarifai_plugin_api *api;

static clarifai_status try_load(const char *dir, clarifai_model **m, clarifai_call *call,
                                clarifai_model_info *info)
{
    clarifai_config_entry cfg[1] = { { "model_dir", dir } };
    clarifai_load_options opt = { sizeof opt, 0, NULL, cfg, dir ? 1 : 0 };
    memset(info, 0, sizeof *info);
    info->struct_size = sizeof *info;
    memset(call, 0, sizeof *call);
    return api->load(call, &opt, m, info);
}

typedef struct {
    clarifai_instance *ins;
    const char *text;
    clarifai_call call;
    clarifai_status st;
} job;

static void *run(void *arg)
{
    job *j = arg;
    for (int i = 0; i < 5; i++) {
        clarifai_input in;
        memset(&in, 0, sizeof in);
        in.struct_size = sizeof in;
        in.id = "x";
        in.text = j->text;
        in.text_length = strlen(j->text);
        in.params_json = "{}";
        memset(&j->call, 0, sizeof j->call);
        j->st = api->predict(&j->call, j->ins, &in);
        if (j->st) break;
    }
    return NULL;
}

static float dot(const float *a, const float *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += (double)a[i] * b[i];
    return (float)s;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s LIB MODEL_DIR\n", argv[0]);
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("dlopen: %s\n", dlerror()); return 1; }
    clarifai_runner_plugin_fn entry = (clarifai_runner_plugin_fn)dlsym(lib, CLARIFAI_RUNNER_ENTRY_POINT);
    CHECK(entry != NULL, "entry point missing");
    if (!entry) return 1;
    clarifai_host_api other = host;
    other.abi_major = CLARIFAI_RUNNER_ABI_MAJOR + 1;
    CHECK(entry(&other) == NULL, "a host with another major must be refused");
    api = entry(&host);
    CHECK(api && api->abi_major == CLARIFAI_RUNNER_ABI_MAJOR && api->load && api->unload && api->predict,
          "plugin table");
    if (!api) return 1;

    clarifai_model *m = NULL;
    clarifai_call call;
    clarifai_model_info info;

    /* load errors */
    clarifai_status st = try_load(NULL, &m, &call, &info);
    CHECK(st == CLARIFAI_STATUS_INVALID_ARGUMENT && strstr(call.fail_msg, "model_dir"), "no dir: %d %s", st, call.fail_msg);
    printf("  no model_dir      -> %s\n", call.fail_msg);
    st = try_load("/nonexistent/minilm", &m, &call, &info);
    CHECK(st != CLARIFAI_STATUS_OK && strstr(call.fail_msg, "No such file"), "missing dir: %s", call.fail_msg);
    printf("  missing model_dir -> %s\n", call.fail_msg);

    {
        clarifai_config_entry cfg[2] = { { "model_dir", argv[2] }, { "max_tokens", "lots" } };
        clarifai_load_options opt = { sizeof opt, 0, NULL, cfg, 2 };
        memset(&call, 0, sizeof call);
        st = api->load(&call, &opt, &m, &info);
        CHECK(st == CLARIFAI_STATUS_INVALID_ARGUMENT && strstr(call.fail_msg, "max_tokens"), "bad max_tokens: %s", call.fail_msg);
        printf("  bad max_tokens    -> %s\n", call.fail_msg);
    }

    char tmp[] = "/tmp/minilm-corrupt-XXXXXX";
    CHECK(mkdtemp(tmp) != NULL, "mkdtemp");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cp '%s/config.json' '%s/vocab.txt' '%s/' && head -c 1000000 '%s/model.safetensors' > '%s/model.safetensors'",
             argv[2], argv[2], tmp, argv[2], tmp);
    CHECK(system(cmd) == 0, "prepare corrupt dir");
    st = try_load(tmp, &m, &call, &info);
    CHECK(st != CLARIFAI_STATUS_OK && strstr(call.fail_msg, "model.safetensors"), "truncated: %s", call.fail_msg);
    printf("  truncated weights -> %s\n", call.fail_msg);
    snprintf(cmd, sizeof cmd, "printf 'garbage-garbage-garbage' > '%s/model.safetensors'", tmp);
    CHECK(system(cmd) == 0, "prepare garbage file");
    st = try_load(tmp, &m, &call, &info);
    CHECK(st != CLARIFAI_STATUS_OK && strstr(call.fail_msg, "safetensors"), "garbage: %s", call.fail_msg);
    printf("  garbage weights   -> %s\n", call.fail_msg);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd)) printf("  (could not remove %s)\n", tmp);

    /* the real thing */
    st = try_load(argv[2], &m, &call, &info);
    CHECK(st == CLARIFAI_STATUS_OK && m, "load: %s", call.fail_msg);
    if (st) return 1;
    CHECK(info.max_instances == (uint32_t)sysconf(_SC_NPROCESSORS_ONLN) &&
          info.max_concurrent_calls_per_instance == 1, "threading contract: %u instances, %u calls",
          info.max_instances, info.max_concurrent_calls_per_instance);
    clarifai_instance *ins[2] = { NULL, NULL };
    for (int i = 0; i < 2; i++) {
        st = api->instance_create(&call, m, (uint32_t)i, &ins[i]);
        CHECK(st == CLARIFAI_STATUS_OK && ins[i], "instance_create");
    }
    static job jobs[2];
    jobs[0].ins = ins[0];
    jobs[0].text = "A man is playing a guitar.";
    jobs[1].ins = ins[1];
    jobs[1].text = "Someone plays an instrument.";
    pthread_t th[2];
    for (int i = 0; i < 2; i++) pthread_create(&th[i], NULL, run, &jobs[i]);
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < 2; i++) {
        CHECK(jobs[i].st == CLARIFAI_STATUS_OK && jobs[i].call.emits == 1 && jobs[i].call.n == 384,
              "predict %d: st %d emits %d n %zu", i, jobs[i].st, jobs[i].call.emits, jobs[i].call.n);
        CHECK(fabsf(dot(jobs[i].call.vec, jobs[i].call.vec, 384) - 1.0f) < 1e-4f, "unit norm");
    }
    float sim = dot(jobs[0].call.vec, jobs[1].call.vec, 384);
    printf("  cos(guitar, instrument) = %.4f\n", sim);
    CHECK(sim > 0.3f, "paraphrase similarity %.3f", sim);

    /* no text -> INVALID_ARGUMENT */
    clarifai_input in;
    memset(&in, 0, sizeof in);
    in.struct_size = sizeof in;
    in.id = "img";
    in.params_json = "{}";
    memset(&call, 0, sizeof call);
    st = api->predict(&call, ins[0], &in);
    CHECK(st == CLARIFAI_STATUS_INVALID_ARGUMENT && call.emits == 0, "no text: %d", st);
    printf("  no text input     -> %s\n", call.fail_msg);

    for (int i = 0; i < 2; i++) api->instance_destroy(ins[i]);
    api->unload(m);
    dlclose(lib);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
