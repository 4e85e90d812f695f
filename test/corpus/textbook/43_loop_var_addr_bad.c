// RACE: 'id', main's variable whose address every thread gets: main writes it at line 24 while a thread reads it at line 11
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
    int id;
    for (int i = 0; i < NTHREADS; i++) {
        id = i;
        pthread_create(&t[i], NULL, work, &id);
    }
    long sum = 0;
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(t[i], NULL);
        sum += partial[i];
    }
    printf("sum = %ld (expected 499999500000)\n", sum);
    return 0;
}
