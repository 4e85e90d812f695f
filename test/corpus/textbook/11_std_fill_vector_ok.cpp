// OK: the worker's std::fill and main's std::accumulate of 'levels' both hold 'levels_mutex'
#include <algorithm>
#include <cstdio>
#include <mutex>
#include <numeric>
#include <thread>
#include <vector>

std::mutex levels_mutex;

void reset_levels(std::vector<int> &levels)
{
    for (int round = 0; round < 200; ++round) {
        std::lock_guard<std::mutex> lock(levels_mutex);
        std::fill(levels.begin(), levels.end(), round);
    }
}

int main()
{
    std::vector<int> levels(1000, 1);
    std::thread resetter(reset_levels, std::ref(levels));

    long total = 0;
    for (int round = 0; round < 200; ++round) {
        std::lock_guard<std::mutex> lock(levels_mutex);
        total += std::accumulate(levels.begin(), levels.end(), 0L);
    }

    resetter.join();
    std::printf("total = %ld\n", total);
}
