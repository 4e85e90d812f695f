// OK: main reads 'j.result' only after pthread_join
#include <pthread.h>
#include <stdio.h>

struct job {
    int n;
    long result;
};

static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static void *fib_thread(void *arg)
{
    struct job *j = arg;
    j->result = fib(j->n);
    return NULL;
}

int main(void)
{
    struct job j = {25, 0};
    pthread_t t;
    pthread_create(&t, NULL, fib_thread, &j);
    pthread_join(t, NULL);
    printf("fib(%d) = %ld\n", j.n, j.result);
    return 0;
}
