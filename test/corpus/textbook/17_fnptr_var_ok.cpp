// OK: 'progress' is a std::atomic<int>
#include <atomic>
#include <cstdio>
#include <thread>

std::atomic<int> progress{0};

void download()
{
    for (int i = 0; i < 100000; ++i)
        progress += 1;
}

void unpack()
{
    for (int i = 0; i < 100000; ++i)
        progress += 2;
}

int main()
{
    void (*step)() = download;
    std::thread a(step);
    step = unpack;
    std::thread b(step);
    a.join();
    b.join();
    std::printf("progress = %d\n", progress.load());
}
