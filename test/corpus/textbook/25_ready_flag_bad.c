// RACE: 'full' and 'slot', a one-slot buffer handed over with a plain int flag: 'full' set at lines 18, 30 and busy-waited on at line 27; 'slot' written at line 17, read at line 29
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

#define ITEMS 2000

static int slot;
static int full; /* 0: empty, 1: holds an item */

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= ITEMS; i++) {
        while (full)
            sched_yield();
        slot = i;
        full = 1;
    }
    return NULL;
}

static void *consumer(void *arg)
{
    long *sum = arg;
    for (int i = 1; i <= ITEMS; i++) {
        while (!full)
            sched_yield();
        *sum += slot;
        full = 0;
    }
    return NULL;
}

int main(void)
{
    long sum = 0;
    pthread_t p, c;
    pthread_create(&c, NULL, consumer, &sum);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    printf("sum = %ld (expected %ld)\n", sum, (long)ITEMS * (ITEMS + 1) / 2);
    return 0;
}
