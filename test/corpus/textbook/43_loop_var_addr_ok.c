// OK: each thread gets the address of its own 'ids[i]', written before the thread starts and never again
#include <pthread.h>
#include <stdio.h>

#define NTHREADS 4

static long partial[NTHREADS];

static void *work(void *arg)
{
    int me = *(int *)arg;
    long s = 0;
    for (long k = me; k < 1000000; k += NTHREADS)
        s += k;
    partial[me] = s;
    return NULL;
}

int main(void)
{
    pthread_t t[NTHREADS];
    int ids[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        ids[i] = i;
        pthread_create(&t[i], NULL, work, &ids[i]);
    }
    long sum = 0;
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(t[i], NULL);
        sum += partial[i];
    }
    printf("sum = %ld (expected 499999500000)\n", sum);
    return 0;
}
