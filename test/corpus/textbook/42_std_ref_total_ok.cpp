// OK: each thread gets its own accumulator through std::ref ('part_a', 'part_b'); main adds them after the joins
#include <cstddef>
#include <cstdio>
#include <functional>
#include <thread>
#include <vector>

void accumulate(const std::vector<int> &data, std::size_t from, std::size_t to, long &total)
{
    for (std::size_t i = from; i < to; ++i)
        total += data[i];
}

int main()
{
    std::vector<int> data(200000, 1);
    long part_a = 0, part_b = 0;
    std::thread a(accumulate, std::cref(data), 0, 100000, std::ref(part_a));
    std::thread b(accumulate, std::cref(data), 100000, 200000, std::ref(part_b));
    a.join();
    b.join();
    std::printf("total = %ld (expected 200000)\n", part_a + part_b);
}
