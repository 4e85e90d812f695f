// RACE: 'shared_total', each thread locks its *own* mutex 'w->lock' around the update at line 18, so nothing is excluded
#include <pthread.h>
#include <stdio.h>

struct worker {
    pthread_t tid;
    pthread_mutex_t lock;
    int id;
};

static long shared_total;

static void *run(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < 100000; i++) {
        pthread_mutex_lock(&w->lock);
        shared_total += w->id;
        pthread_mutex_unlock(&w->lock);
    }
    return NULL;
}

int main(void)
{
    struct worker w[2];
    for (int i = 0; i < 2; i++) {
        w[i].id = i + 1;
        pthread_mutex_init(&w[i].lock, NULL);
        pthread_create(&w[i].tid, NULL, run, &w[i]);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(w[i].tid, NULL);
        pthread_mutex_destroy(&w[i].lock);
    }
    printf("shared_total = %ld (expected 300000)\n", shared_total);
    return 0;
}
