// OK: each thread gets its own malloc'd argument block and a disjoint half of 'out'; main adds the sums after the joins
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

    pthread_t t[2];
    struct args *a[2];
    for (int k = 0; k < 2; k++) {
        a[k] = malloc(sizeof *a[k]);
        a[k]->in = in;
        a[k]->out = out;
        a[k]->sum = 0;
        a[k]->lo = k * (N / 2);
        a[k]->hi = (k + 1) * (N / 2);
        pthread_create(&t[k], NULL, square_and_sum, a[k]);
    }
    long sum = 0;
    for (int k = 0; k < 2; k++) {
        pthread_join(t[k], NULL);
        sum += a[k]->sum;
        free(a[k]);
    }
    printf("sum of squares = %ld\n", sum);
    free(out);
    free(in);
    return 0;
}
