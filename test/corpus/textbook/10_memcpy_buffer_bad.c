// RACE: 'shared_buf', refilled with memset/memcpy by the writer at lines 14, 15 while the reader copies it out at line 25
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define MSG_LEN 64

static char shared_buf[MSG_LEN];

static void *writer(void *arg)
{
    const char *msg = arg;
    for (int i = 0; i < 20000; i++) {
        memset(shared_buf, 0, sizeof shared_buf);
        memcpy(shared_buf, msg, strlen(msg));
    }
    return NULL;
}

static void *reader(void *arg)
{
    unsigned long *check = arg;
    char copy[MSG_LEN];
    for (int i = 0; i < 20000; i++) {
        memcpy(copy, shared_buf, sizeof copy);
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
