// RACE: 'config_version', written at line 13 under a *read* lock, which lets the reader in at line 24 at the same time
#include <pthread.h>
#include <stdio.h>

static pthread_rwlock_t config_lock = PTHREAD_RWLOCK_INITIALIZER;
static int config_version;

static void *reloader(void *arg)
{
    (void)arg;
    for (int i = 0; i < 50000; i++) {
        pthread_rwlock_rdlock(&config_lock); /* should be wrlock */
        config_version++;
        pthread_rwlock_unlock(&config_lock);
    }
    return NULL;
}

static void *reader(void *arg)
{
    long *seen = arg;
    for (int i = 0; i < 50000; i++) {
        pthread_rwlock_rdlock(&config_lock);
        *seen += config_version;
        pthread_rwlock_unlock(&config_lock);
    }
    return NULL;
}

int main(void)
{
    long seen = 0;
    pthread_t w, r;
    pthread_create(&w, NULL, reloader, NULL);
    pthread_create(&r, NULL, reader, &seen);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    printf("version %d, seen %ld\n", config_version, seen);
    return 0;
}
