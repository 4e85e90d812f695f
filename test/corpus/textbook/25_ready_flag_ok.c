// OK: 'slot' and 'full' are only touched under 'lock'; the threads wait on condition variables instead of spinning
#include <pthread.h>
#include <stdio.h>

#define ITEMS 2000

static int slot;
static int full; /* 0: empty, 1: holds an item */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t became_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t became_empty = PTHREAD_COND_INITIALIZER;

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&lock);
        while (full)
            pthread_cond_wait(&became_empty, &lock);
        slot = i;
        full = 1;
        pthread_cond_signal(&became_full);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    long *sum = arg;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&lock);
        while (!full)
            pthread_cond_wait(&became_full, &lock);
        *sum += slot;
        full = 0;
        pthread_cond_signal(&became_empty);
        pthread_mutex_unlock(&lock);
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
