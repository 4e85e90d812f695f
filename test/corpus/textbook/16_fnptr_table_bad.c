// RACE: 'ticks', incremented at line 13 and decremented at line 21 by threads started through a function-pointer table
#include <pthread.h>
#include <stdio.h>

typedef void *(*thread_fn)(void *);

static int ticks;

static void *tick(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100000; i++)
        ticks++;
    return NULL;
}

static void *tock(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100000; i++)
        ticks--;
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
