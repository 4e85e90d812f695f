// OK: the heap object behind 'g_stats' carries its own mutex, held for every update; main reads after the joins
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct stats {
    pthread_mutex_t lock;
    long requests;
    long bytes;
};

struct stats *g_stats;

static void *serve(void *arg)
{
    long size = (long)(intptr_t)arg;
    for (int i = 0; i < 100000; i++) {
        pthread_mutex_lock(&g_stats->lock);
        g_stats->requests++;
        g_stats->bytes += size;
        pthread_mutex_unlock(&g_stats->lock);
    }
    return NULL;
}

int main(void)
{
    g_stats = calloc(1, sizeof *g_stats);
    pthread_mutex_init(&g_stats->lock, NULL);
    pthread_t a, b;
    pthread_create(&a, NULL, serve, (void *)(intptr_t)512);
    pthread_create(&b, NULL, serve, (void *)(intptr_t)1024);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("%ld requests, %ld bytes\n", g_stats->requests, g_stats->bytes);
    pthread_mutex_destroy(&g_stats->lock);
    free(g_stats);
    return 0;
}
