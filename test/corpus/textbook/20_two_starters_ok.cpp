// OK: 'cache_hits' is a std::atomic<long> (the reset is a compare-exchange)
#include <atomic>
#include <cstdio>
#include <thread>

std::atomic<long> cache_hits{0};

void lookup_worker()
{
    for (int i = 0; i < 100000; ++i)
        ++cache_hits;
}

void stats_worker()
{
    for (int i = 0; i < 1000; ++i) {
        long seen = cache_hits.load();
        if (seen > 5000)
            cache_hits.compare_exchange_strong(seen, 0);
    }
}

std::thread start_lookups() { return std::thread(lookup_worker); }
std::thread start_stats() { return std::thread(stats_worker); }

int main()
{
    std::thread a = start_lookups();
    std::thread b = start_stats();
    a.join();
    b.join();
    std::printf("cache_hits = %ld\n", cache_hits.load());
}
