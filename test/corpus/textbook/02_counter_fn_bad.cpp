// RACE: 'counter' at line 11
#include <iostream>
#include <thread>

constexpr int kIters = 100000;
int counter = 0;

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
