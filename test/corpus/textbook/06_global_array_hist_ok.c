// OK: each thread counts into its own row 'hist[part]'; main merges the rows after the joins
#include <pthread.h>
#include <stdio.h>

#define NDATA 200000
#define NBUCKETS 16

int data[NDATA];
int hist[2][NBUCKETS];

static void *count(void *arg)
{
    int part = *(int *)arg;
    for (int i = part * (NDATA / 2); i < (part + 1) * (NDATA / 2); i++)
        hist[part][data[i] % NBUCKETS]++;
    return NULL;
}

int main(void)
{
    for (int i = 0; i < NDATA; i++)
        data[i] = (i * 7919) % 1000;

    pthread_t t[2];
    int parts[2] = {0, 1};
    for (int k = 0; k < 2; k++)
        pthread_create(&t[k], NULL, count, &parts[k]);
    for (int k = 0; k < 2; k++)
        pthread_join(t[k], NULL);

    for (int b = 0; b < NBUCKETS; b++)
        printf("bucket %2d: %d\n", b, hist[0][b] + hist[1][b]);
    return 0;
}
