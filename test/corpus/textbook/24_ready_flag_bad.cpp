// RACE: 'ready', a plain bool set at line 12 and busy-waited on at line 17 (and so 'message' too)
#include <cstdio>
#include <string>
#include <thread>

std::string message;
bool ready = false;

void producer()
{
    message = "hello from the producer";
    ready = true;
}

void consumer()
{
    while (!ready)
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
