// RACE: 'total', bound by std::ref to both threads' 'long &' parameter and added to at line 11
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
    long total = 0;
    std::thread a(accumulate, std::cref(data), 0, 100000, std::ref(total));
    std::thread b(accumulate, std::cref(data), 100000, 200000, std::ref(total));
    a.join();
    b.join();
    std::printf("total = %ld (expected 200000)\n", total);
}
