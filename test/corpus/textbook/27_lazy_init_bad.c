// RACE: 'table', lazily built with no lock: read at line 20, written at line 21 by whichever thread comes first
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define TABLE_SIZE 256

static unsigned *table;

static unsigned *build_table(void)
{
    unsigned *t = malloc(TABLE_SIZE * sizeof *t);
    for (unsigned i = 0; i < TABLE_SIZE; i++)
        t[i] = i * 2654435761u;
    return t;
}

static unsigned *get_table(void)
{
    if (table == NULL)
        table = build_table();
    return table;
}

static void *hash_worker(void *arg)
{
    unsigned *h = arg;
    for (unsigned i = 0; i < 10000; i++)
        *h ^= get_table()[i % TABLE_SIZE];
    return NULL;
}

int main(void)
{
    unsigned h1 = 0, h2 = 0;
    pthread_t a, b;
    pthread_create(&a, NULL, hash_worker, &h1);
    pthread_create(&b, NULL, hash_worker, &h2);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("%u %u\n", h1, h2);
    return 0;
}
