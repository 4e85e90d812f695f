// OK: thread k writes only the elements i with i % NTHREADS == k; main reads after the joins
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define N 100000
#define NTHREADS 2

static long squares[N];

static void *fill(void *arg)
{
    int k = (int)(intptr_t)arg;
    for (int i = k; i < N; i += NTHREADS)
        squares[i] = (long)i * i;
    return NULL;
}

int main(void)
{
    pthread_t t[NTHREADS];
    for (int k = 0; k < NTHREADS; k++)
        pthread_create(&t[k], NULL, fill, (void *)(intptr_t)k);
    for (int k = 0; k < NTHREADS; k++)
        pthread_join(t[k], NULL);

    long check = 0;
    for (int i = 0; i < N; i++)
        check += squares[i] % 7;
    printf("check = %ld\n", check);
    return 0;
}
