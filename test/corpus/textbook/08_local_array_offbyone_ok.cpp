// OK: the two threads fill disjoint halves [0,500) and [500,1000) of the local array; main reads after the joins
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
    std::thread lo([&samples] { for (int i = 0; i < 500; ++i) samples[i] = i * i; });
    std::thread hi(fill, samples, 500, 1000);
    lo.join();
    hi.join();

    long sum = 0;
    for (int s : samples)
        sum += s;
    std::printf("sum = %ld\n", sum);
}
