// RACE: 'cache_hits', incremented at line 10 by a thread started in start_lookups() and reset at line 17 by one started in start_stats()
#include <cstdio>
#include <thread>

long cache_hits = 0;

void lookup_worker()
{
    for (int i = 0; i < 100000; ++i)
        ++cache_hits;
}

void stats_worker()
{
    for (int i = 0; i < 1000; ++i)
        if (cache_hits > 5000)
            cache_hits = 0;
}

std::thread start_lookups() { return std::thread(lookup_worker); }
std::thread start_stats() { return std::thread(stats_worker); }

int main()
{
    std::thread a = start_lookups();
    std::thread b = start_stats();
    a.join();
    b.join();
    std::printf("cache_hits = %ld\n", cache_hits);
}
