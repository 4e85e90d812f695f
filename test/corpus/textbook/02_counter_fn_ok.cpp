// OK: 'counter' is a std::atomic<int>
#include <atomic>
#include <iostream>
#include <thread>

constexpr int kIters = 100000;
std::atomic<int> counter{0};

void worker()
{
    for (int i = 0; i < kIters; ++i)
        ++counter;
}

int main()
{
    std::thread a(worker), b(worker);
    a.join();
    b.join();
    std::cout << "counter = " << counter << " (expected " << 2 * kIters << ")\n";
}
