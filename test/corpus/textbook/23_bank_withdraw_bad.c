// RACE: 'balance', checked at line 12 and debited at line 13 by both ATM threads (check-then-act)
#include <pthread.h>
#include <stdio.h>

static long balance = 1000000;

static void *atm(void *arg)
{
    long amount = *(long *)arg;
    int served = 0;
    for (int i = 0; i < 100000; i++) {
        if (balance >= amount) {
            balance -= amount;
            served++;
        }
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
