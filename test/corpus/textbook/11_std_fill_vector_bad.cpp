// RACE: 'levels', reset with std::fill by the worker at line 11 while main sums it at line 21
#include <algorithm>
#include <cstdio>
#include <numeric>
#include <thread>
#include <vector>

void reset_levels(std::vector<int> &levels)
{
    for (int round = 0; round < 200; ++round)
        std::fill(levels.begin(), levels.end(), round);
}

int main()
{
    std::vector<int> levels(1000, 1);
    std::thread resetter(reset_levels, std::ref(levels));

    long total = 0;
    for (int round = 0; round < 200; ++round)
        total += std::accumulate(levels.begin(), levels.end(), 0L);

    resetter.join();
    std::printf("total = %ld\n", total);
}
