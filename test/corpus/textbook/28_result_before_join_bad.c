// RACE: 'j.result', written by the thread at line 15 and read by main before the join at line 24
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
    printf("fib(%d) = %ld\n", j.n, j.result);
    pthread_join(t, NULL);
    return 0;
}
