// RACE: 'counter' at line 13
#include <pthread.h>
#include <stdio.h>

#define ITERS 100000

long counter = 0;

void *worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < ITERS; i++)
        counter++;
    return NULL;
}

int main(void)
{
    pthread_t t1, t2;
    pthread_create(&t1, NULL, worker, NULL);
    pthread_create(&t2, NULL, worker, NULL);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    printf("counter = %ld (expected %d)\n", counter, 2 * ITERS);
    return 0;
}
