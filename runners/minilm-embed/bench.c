/* bench.c - load time, RSS and embeddings/s of the minilm-embed core.
 *
 *   ./bench MODEL_DIR [seconds-per-case] [threads]
 *
 * Cases: short sentences (~10 tokens) and 128-token sentences, single thread,
 * then `threads` threads each with its own ctx sharing one model (default 2).
 */
#define _POSIX_C_SOURCE 200809L
#include "minilm.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6)) kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

static const char *const short_texts[] = {
    "A man is playing a guitar.",
    "The stock market fell sharply today.",
    "Where can I buy fresh bread near here?",
    "She finished the marathon in under four hours.",
    "Clarifai runners serve models locally.",
    "It is going to rain tomorrow afternoon.",
    "How do I reset my password?",
    "The cat sat quietly on the warm windowsill.",
};
#define N_SHORT (sizeof short_texts / sizeof short_texts[0])

static char long_text[8192];

/* Builds a text of exactly `want` tokens (incl. [CLS]/[SEP]). */
static int make_long_text(const minilm_model *m, int want)
{
    static const char *const words[] = { "the", "quick", "brown", "fox", "jumps", "over", "a",
                                         "lazy", "dog", "while", "people", "watch", "from", "park" };
    long_text[0] = 0;
    for (int i = 0;; i++) {
        int n = minilm_tokenize(m, long_text, strlen(long_text), NULL, 0);
        if (n >= want) return n;
        if (strlen(long_text) + 16 >= sizeof long_text) return n;
        if (long_text[0]) strcat(long_text, " ");
        strcat(long_text, words[i % (sizeof words / sizeof words[0])]);
    }
}

typedef struct {
    const minilm_model *m;
    int use_long;
    double seconds;
    long count;
    long tokens;
    double cpu;
    int failed;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    minilm_ctx *c;
    char err[256];
    float out[4096];
    if (minilm_ctx_create(j->m, &c, err, sizeof err)) {
        fprintf(stderr, "ctx: %s\n", err);
        j->failed = 1;
        return NULL;
    }
    double t0 = now(), t = t0, c0 = thread_cpu();
    long i = 0;
    do {
        const char *txt = j->use_long ? long_text : short_texts[i % N_SHORT];
        int n;
        if (minilm_embed(c, txt, strlen(txt), out, &n, err, sizeof err)) {
            fprintf(stderr, "embed: %s\n", err);
            j->failed = 1;
            break;
        }
        j->tokens += n;
        i++;
        t = now();
    } while (t - t0 < j->seconds);
    j->count = i;
    j->seconds = t - t0;
    j->cpu = thread_cpu() - c0;
    minilm_ctx_free(c);
    return NULL;
}

static int run_case(const minilm_model *m, int use_long, int threads, double secs)
{
    pthread_t th[64];
    job jobs[64];
    for (int i = 0; i < threads; i++) {
        jobs[i] = (job){ m, use_long, secs, 0, 0, 0, 0 };
        if (pthread_create(&th[i], NULL, worker, &jobs[i])) return -1;
    }
    long count = 0, tokens = 0;
    double maxs = 0, cpu = 0;
    int failed = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        count += jobs[i].count;
        tokens += jobs[i].tokens;
        cpu += jobs[i].cpu;
        if (jobs[i].seconds > maxs) maxs = jobs[i].seconds;
        failed |= jobs[i].failed;
    }
    if (failed) return -1;
    printf("%-20s threads=%d %7.1f embeddings/s (wall)  %6.2f ms CPU/embedding  "
           "(%ld in %.2fs, %.1f tokens avg, %.0f%% CPU/thread)\n",
           use_long ? "128-token sentences" : "short sentences", threads, count / maxs,
           1000.0 * cpu / count, count, maxs, (double)tokens / count, 100.0 * cpu / (maxs * threads));
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s MODEL_DIR [seconds-per-case] [threads]\n", argv[0]);
        return 2;
    }
    double secs = argc > 2 ? atof(argv[2]) : 3.0;
    int threads = argc > 3 ? atoi(argv[3]) : 2;
    if (threads < 1 || threads > 64) threads = 2;
    char err[512];
    long rss0 = rss_kb();
    double t0 = now();
    minilm_model *m;
    if (minilm_model_load(argv[1], 0, &m, err, sizeof err)) {
        fprintf(stderr, "load failed: %s\n", err);
        return 1;
    }
    double tl = now() - t0;
    long rss1 = rss_kb();
    printf("load time: %.1f ms\n", tl * 1000);
    printf("RSS: %.1f MB before load, %.1f MB after load (+%.1f MB); model heap %.1f MB\n",
           rss0 / 1024.0, rss1 / 1024.0, (rss1 - rss0) / 1024.0,
           minilm_model_heap_bytes(m) / 1048576.0);
    int nlong = make_long_text(m, 128);
    if (nlong != 128) fprintf(stderr, "warning: long text has %d tokens\n", nlong);

    /* warm-up: one pass of each */
    {
        minilm_ctx *c;
        float out[4096];
        if (minilm_ctx_create(m, &c, err, sizeof err)) { fprintf(stderr, "%s\n", err); return 1; }
        minilm_embed(c, long_text, strlen(long_text), out, NULL, err, sizeof err);
        printf("first embedding: [%.5f %.5f %.5f ...]\n", out[0], out[1], out[2]);
        minilm_ctx_free(c);
    }
    int rc = 0;
    rc |= run_case(m, 0, 1, secs);
    rc |= run_case(m, 1, 1, secs);
    if (threads > 1) {
        rc |= run_case(m, 0, threads, secs);
        rc |= run_case(m, 1, threads, secs);
    }
    printf("RSS after the runs: %.1f MB\n", rss_kb() / 1024.0);
    minilm_model_free(m);
    return rc ? 1 : 0;
}
