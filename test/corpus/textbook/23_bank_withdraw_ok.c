// OK: the check and the debit of 'balance' happen together under 'balance_lock'
#include <pthread.h>
#include <stdio.h>

static long balance = 1000000;
static pthread_mutex_t balance_lock = PTHREAD_MUTEX_INITIALIZER;

static void *atm(void *arg)
{
    long amount = *(long *)arg;
    int served = 0;
    for (int i = 0; i < 100000; i++) {
        pthread_mutex_lock(&balance_lock);
        if (balance >= amount) {
            balance -= amount;
            served++;
        }
        pthread_mutex_unlock(&balance_lock);
    }
    printf("ATM withdrawing %ld served %d\n", amount, served);
    return NULL;
}

int main(void)
{
    long small = 7, large = 13;
    pthread_t a, b;
    pthread_create(&a, NULL, atm, &small);
    pthread_create(&b, NULL, atm, &large);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("final balance = %ld\n", balance);
    return 0;
}
