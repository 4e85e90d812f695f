// OK: the heartbeat is a std::jthread, joined at the end of start_heartbeat() before 'beats' goes out of scope
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

using namespace std::chrono_literals;

void start_heartbeat()
{
    int beats = 0;
    {
        std::jthread t([&beats] {
            for (int i = 0; i < 100; ++i) {
                ++beats;
                std::this_thread::sleep_for(1ms);
            }
        });
    } // joined here
    std::printf("beats = %d\n", beats);
}

void busy_work()
{
    char scratch[4096];
    for (int round = 0; round < 100; ++round) {
        std::memset(scratch, round, sizeof scratch);
        std::this_thread::sleep_for(1ms);
    }
    std::printf("scratch[0] = %d\n", scratch[0]);
}

int main()
{
    start_heartbeat();
    busy_work();
    std::this_thread::sleep_for(200ms);
}
