// OK: the writer's memset/memcpy and the reader's memcpy of 'shared_buf' all hold 'buf_lock'
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define MSG_LEN 64

static char shared_buf[MSG_LEN];
static pthread_mutex_t buf_lock = PTHREAD_MUTEX_INITIALIZER;

static void *writer(void *arg)
{
    const char *msg = arg;
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&buf_lock);
        memset(shared_buf, 0, sizeof shared_buf);
        memcpy(shared_buf, msg, strlen(msg));
        pthread_mutex_unlock(&buf_lock);
    }
    return NULL;
}

static void *reader(void *arg)
{
    unsigned long *check = arg;
    char copy[MSG_LEN];
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&buf_lock);
        memcpy(copy, shared_buf, sizeof copy);
        pthread_mutex_unlock(&buf_lock);
        *check += (unsigned char)copy[i % MSG_LEN];
    }
    return NULL;
}

int main(void)
{
    unsigned long check = 0;
    pthread_t w, r;
    pthread_create(&w, NULL, writer, "the quick brown fox jumps over the lazy dog");
    pthread_create(&r, NULL, reader, &check);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    printf("check = %lu\n", check);
    return 0;
}
