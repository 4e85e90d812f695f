// OK: produce and consume both hold 'queue_lock' for every access to 'queue_len'
#include <pthread.h>
#include <stdio.h>

static int queue_len;
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t producer_tid, consumer_tid;

static void *produce(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100000; i++) {
        pthread_mutex_lock(&queue_lock);
        queue_len++;
        pthread_mutex_unlock(&queue_lock);
    }
    return NULL;
}

static void *consume(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100000; i++) {
        pthread_mutex_lock(&queue_lock);
        if (queue_len > 0)
            queue_len--;
        pthread_mutex_unlock(&queue_lock);
    }
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
