// OK: push() holds 'list_lock' while it reads and writes 'head'; main walks the list after the joins
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct node {
    int value;
    struct node *next;
};

struct node *head = NULL;
pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;

static void push(int value)
{
    struct node *n = malloc(sizeof *n);
    n->value = value;
    pthread_mutex_lock(&list_lock);
    n->next = head;
    head = n;
    pthread_mutex_unlock(&list_lock);
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
