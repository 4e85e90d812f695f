// RACE: 'id', a function-local static counter in next_id(), read and written by both client threads at line 10
#include <pthread.h>
#include <stdio.h>

#define PER_CLIENT 20000

static int next_id(void)
{
    static int id = 0;
    return ++id;
}

static void *client(void *arg)
{
    int *ids = arg;
    for (int i = 0; i < PER_CLIENT; i++)
        ids[i] = next_id();
    return NULL;
}

int main(void)
{
    static int ids[2][PER_CLIENT];
    pthread_t a, b;
    pthread_create(&a, NULL, client, ids[0]);
    pthread_create(&b, NULL, client, ids[1]);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("last ids: %d %d\n", ids[0][PER_CLIENT - 1], ids[1][PER_CLIENT - 1]);
    return 0;
}
