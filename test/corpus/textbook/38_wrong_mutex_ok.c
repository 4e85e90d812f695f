// OK: both threads lock the one global 'total_lock' around the update of 'shared_total'
#include <pthread.h>
#include <stdio.h>

struct worker {
    pthread_t tid;
    int id;
};

static long shared_total;
static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;

static void *run(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < 100000; i++) {
        pthread_mutex_lock(&total_lock);
        shared_total += w->id;
        pthread_mutex_unlock(&total_lock);
    }
    return NULL;
}

int main(void)
{
    struct worker w[2];
    for (int i = 0; i < 2; i++) {
        w[i].id = i + 1;
        pthread_create(&w[i].tid, NULL, run, &w[i]);
    }
    for (int i = 0; i < 2; i++)
        pthread_join(w[i].tid, NULL);
    printf("shared_total = %ld (expected 300000)\n", shared_total);
    return 0;
}
