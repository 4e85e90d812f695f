// RACE: 'head', the global stack top, read and written by both producers at line 14
#include <cstdio>
#include <thread>

struct Node {
    int value;
    Node *next;
};

Node *head = nullptr;

void push(int value)
{
    head = new Node{value, head};
}

void producer(int base)
{
    for (int i = 0; i < 20000; ++i)
        push(base + i);
}

int main()
{
    std::thread a(producer, 0), b(producer, 1000000);
    a.join();
    b.join();

    int length = 0;
    while (Node *n = head) {
        head = n->next;
        delete n;
        ++length;
    }
    std::printf("stack depth = %d (expected 40000)\n", length);
}
