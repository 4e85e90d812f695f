// RACE: 'queue_len', incremented at line 12 by the producer (started in start_producer) and decremented at line 21 by the consumer (started in start_consumer)
#include <pthread.h>
#include <stdio.h>

static int queue_len;
static pthread_t producer_tid, consumer_tid;

static void *produce(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100000; i++)
        queue_len++;
    return NULL;
}

static void *consume(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100000; i++)
        if (queue_len > 0)
            queue_len--;
    return NULL;
}

static void start_producer(void) { pthread_create(&producer_tid, NULL, produce, NULL); }
static void start_consumer(void) { pthread_create(&consumer_tid, NULL, consume, NULL); }

int main(void)
{
    start_producer();
    start_consumer();
    pthread_join(producer_tid, NULL);
    pthread_join(consumer_tid, NULL);
    printf("queue_len = %d\n", queue_len);
    return 0;
}
