// RACE: 'g_stats->requests' and 'g_stats->bytes', fields of the heap object behind a global pointer, updated by both threads at lines 18, 19
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct stats {
    long requests;
    long bytes;
};

struct stats *g_stats;

static void *serve(void *arg)
{
    long size = (long)(intptr_t)arg;
    for (int i = 0; i < 100000; i++) {
        g_stats->requests++;
        g_stats->bytes += size;
    }
    return NULL;
}

int main(void)
{
    g_stats = calloc(1, sizeof *g_stats);
    pthread_t a, b;
    pthread_create(&a, NULL, serve, (void *)(intptr_t)512);
    pthread_create(&b, NULL, serve, (void *)(intptr_t)1024);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("%ld requests, %ld bytes\n", g_stats->requests, g_stats->bytes);
    free(g_stats);
    return 0;
}
