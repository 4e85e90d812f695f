// RACE: 'total', written by the child at line 11 while its parent thread (not main) writes it at line 21
#include <pthread.h>
#include <stdio.h>

static long total;

static void *child(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100000; i++)
        total += 1;
    return NULL;
}

static void *parent(void *arg)
{
    (void)arg;
    pthread_t c;
    pthread_create(&c, NULL, child, NULL);
    for (int i = 0; i < 100000; i++)
        total += 2;
    pthread_join(c, NULL);
    return NULL;
}

int main(void)
{
    pthread_t p;
    pthread_create(&p, NULL, parent, NULL);
    pthread_join(p, NULL);
    printf("total = %ld (expected 300000)\n", total);
    return 0;
}
