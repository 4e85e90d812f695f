// OK: each functor object adds into its own slot 'partial[k]'; main adds the slots after the joins
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
    long partial[2] = {0, 0};
    std::thread a(Tally{partial[0], 0, 50000});
    std::thread b(Tally{partial[1], 50000, 100000});
    a.join();
    b.join();
    std::printf("total = %ld\n", partial[0] + partial[1]);
}
