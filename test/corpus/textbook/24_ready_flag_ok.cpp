// OK: 'ready' is a std::atomic<bool> stored with release and loaded with acquire, which orders the write of 'message' before its read
#include <atomic>
#include <cstdio>
#include <string>
#include <thread>

std::string message;
std::atomic<bool> ready{false};

void producer()
{
    message = "hello from the producer";
    ready.store(true, std::memory_order_release);
}

void consumer()
{
    while (!ready.load(std::memory_order_acquire))
        std::this_thread::yield();
    std::printf("%s\n", message.c_str());
}

int main()
{
    std::thread c(consumer);
    std::thread p(producer);
    p.join();
    c.join();
}
