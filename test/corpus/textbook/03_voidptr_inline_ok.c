// OK: each thread gets its own slot 'hits[i]'; main adds them up after the joins
#include <pthread.h>
#include <stdio.h>

static void *count_hits(void *arg)
{
    for (int i = 0; i < 100000; i++)
        *(int *)arg += 1;
    return NULL;
}

int main(void)
{
    int hits[2] = {0, 0};
    pthread_t t[2];

    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], 0, count_hits, (void *)&hits[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("hits = %d\n", hits[0] + hits[1]);
    return 0;
}
