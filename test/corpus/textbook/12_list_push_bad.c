// RACE: 'head', the global list head, read at line 17 and written at line 18 by both producers
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct node {
    int value;
    struct node *next;
};

struct node *head = NULL;

static void push(int value)
{
    struct node *n = malloc(sizeof *n);
    n->value = value;
    n->next = head;
    head = n;
}

static void *producer(void *arg)
{
    int base = *(int *)arg;
    for (int i = 0; i < 20000; i++)
        push(base + i);
    return NULL;
}

int main(void)
{
    pthread_t t1, t2;
    int base1 = 0, base2 = 1000000;
    pthread_create(&t1, NULL, producer, &base1);
    pthread_create(&t2, NULL, producer, &base2);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);

    int length = 0;
    while (head) {
        struct node *n = head;
        head = n->next;
        free(n);
        length++;
    }
    printf("list length = %d (expected 40000)\n", length);
    return 0;
}
