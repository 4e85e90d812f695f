// OK: the detached thread gets its own heap copy of 'name' (strdup) and frees it; main waits on a semaphore the thread posts when done
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sem_t logger_done;

static void *logger(void *arg)
{
    char *name = arg;
    unsigned long h = 0;
    for (int i = 0; i < 100; i++) {
        h = h * 31 + (unsigned char)name[i % 8];
        usleep(1000);
    }
    printf("logger hash %lu\n", h);
    free(name);
    sem_post(&logger_done);
    return NULL;
}

static void start_logger(void)
{
    char name[32];
    strcpy(name, "logger-0");
    pthread_t t;
    pthread_create(&t, NULL, logger, strdup(name));
    pthread_detach(t);
}

static void busy_work(void)
{
    char scratch[4096];
    for (int round = 0; round < 100; round++) {
        memset(scratch, round, sizeof scratch);
        usleep(1000);
    }
    printf("scratch[0] = %d\n", scratch[0]);
}

int main(void)
{
    sem_init(&logger_done, 0, 0);
    start_logger();
    busy_work();
    sem_wait(&logger_done);
    return 0;
}
