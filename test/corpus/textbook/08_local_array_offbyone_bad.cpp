// RACE: 'samples[500]', a local array: the two ranges overlap by one element (<= instead of <), at lines 8, 15
#include <cstdio>
#include <thread>

void fill(int *samples, int from, int to)
{
    for (int i = from; i < to; ++i)
        samples[i] = i * i;
}

int main()
{
    int samples[1000];
    // Off by one: the first half should stop before 500.
    std::thread lo([&samples] { for (int i = 0; i <= 500; ++i) samples[i] = i * i; });
    std::thread hi(fill, samples, 500, 1000);
    lo.join();
    hi.join();

    long sum = 0;
    for (int s : samples)
        sum += s;
    std::printf("sum = %ld\n", sum);
}
