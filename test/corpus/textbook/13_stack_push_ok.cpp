// OK: 'head' is a std::atomic<Node*> updated with compare_exchange (release), the node is filled before it is published; main pops after the joins
#include <atomic>
#include <cstdio>
#include <thread>

struct Node {
    int value;
    Node *next;
};

std::atomic<Node *> head{nullptr};

void push(int value)
{
    Node *n = new Node{value, head.load(std::memory_order_relaxed)};
    while (!head.compare_exchange_weak(n->next, n, std::memory_order_release,
                                       std::memory_order_relaxed)) {
    }
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
    while (Node *n = head.load()) {
        head.store(n->next);
        delete n;
        ++length;
    }
    std::printf("stack depth = %d (expected 40000)\n", length);
}
