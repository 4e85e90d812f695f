// RACE: 'name', a local array of start_logger() handed to a detached thread, read at line 12 after the frame is gone; main overwrites that stack at line 32
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void *logger(void *arg)
{
    const char *name = arg;
    unsigned long h = 0;
    for (int i = 0; i < 100; i++) {
        h = h * 31 + (unsigned char)name[i % 8];
        usleep(1000);
    }
    printf("logger hash %lu\n", h);
    return NULL;
}

static void start_logger(void)
{
    char name[32];
    strcpy(name, "logger-0");
    pthread_t t;
    pthread_create(&t, NULL, logger, name);
    pthread_detach(t);
} /* 'name' dies here, the thread does not */

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
    start_logger();
    busy_work();
    sleep(1);
    return 0;
}
