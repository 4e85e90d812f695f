// RACE: 'progress', written by download at line 10 and by unpack at line 16, both started through the function-pointer variable 'step'
#include <cstdio>
#include <thread>

int progress = 0;

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
    std::printf("progress = %d\n", progress);
}
