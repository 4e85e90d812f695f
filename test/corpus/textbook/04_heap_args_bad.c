// RACE: 'a->sum' written by both threads at line 20; 'a->lo' written by main at line 41 while the first thread reads it
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define N 100000

struct args {
    const int *in;
    long *out;
    long sum;
    int lo, hi;
};

static void *square_and_sum(void *p)
{
    struct args *a = p;
    for (int i = a->lo; i < a->hi; i++) {
        a->out[i] = (long)a->in[i] * a->in[i];
        a->sum += a->out[i];
    }
    return NULL;
}

int main(void)
{
    int *in = malloc(N * sizeof *in);
    long *out = malloc(N * sizeof *out);
    for (int i = 0; i < N; i++)
        in[i] = i % 100;

    /* One argument block, reused for the second thread. */
    struct args *a = malloc(sizeof *a);
    a->in = in;
    a->out = out;
    a->sum = 0;
    pthread_t t1, t2;
    a->lo = 0;
    a->hi = N / 2;
    pthread_create(&t1, NULL, square_and_sum, a);
    a->lo = N / 2;
    a->hi = N;
    pthread_create(&t2, NULL, square_and_sum, a);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    printf("sum of squares = %ld\n", a->sum);
    free(a);
    free(out);
    free(in);
    return 0;
}
