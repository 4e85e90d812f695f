// OK: the parent thread joins its child before it writes 'total'; main reads after joining the parent
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
    pthread_join(c, NULL);
    for (int i = 0; i < 100000; i++)
        total += 2;
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
