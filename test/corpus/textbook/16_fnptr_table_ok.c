// OK: tick and tock both hold 'ticks_lock' for every update of 'ticks'
#include <pthread.h>
#include <stdio.h>

typedef void *(*thread_fn)(void *);

static int ticks;
static pthread_mutex_t ticks_lock = PTHREAD_MUTEX_INITIALIZER;

static void *tick(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100000; i++) {
        pthread_mutex_lock(&ticks_lock);
        ticks++;
        pthread_mutex_unlock(&ticks_lock);
    }
    return NULL;
}

static void *tock(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100000; i++) {
        pthread_mutex_lock(&ticks_lock);
        ticks--;
        pthread_mutex_unlock(&ticks_lock);
    }
    return NULL;
}

int main(void)
{
    thread_fn jobs[2] = {tick, tock};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, jobs[i], NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("ticks = %d (expected 0)\n", ticks);
    return 0;
}
