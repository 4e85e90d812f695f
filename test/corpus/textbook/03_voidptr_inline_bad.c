// RACE: '*(int *)arg', i.e. main's 'hits', written by both threads at line 8
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
    int hits = 0;
    pthread_t t[2];

    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], 0, count_hits, (void *)&hits);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("hits = %d\n", hits);
    return 0;
}
