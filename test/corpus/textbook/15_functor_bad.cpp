// RACE: 'total', reached by both functor objects through their reference member, at line 12
#include <cstdio>
#include <thread>

struct Tally {
    long &total;
    int from, to;

    void operator()() const
    {
        for (int i = from; i < to; ++i)
            total += i;
    }
};

int main()
{
    long total = 0;
    std::thread a(Tally{total, 0, 50000});
    std::thread b(Tally{total, 50000, 100000});
    a.join();
    b.join();
    std::printf("total = %ld\n", total);
}
