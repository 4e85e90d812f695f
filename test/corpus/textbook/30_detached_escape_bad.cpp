// RACE: 'beats', a local of start_heartbeat() captured by reference into a detached thread, written at line 14 after start_heartbeat() has returned, while main reuses that stack in busy_work()
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

using namespace std::chrono_literals;

void start_heartbeat()
{
    int beats = 0;
    std::thread t([&beats] {
        for (int i = 0; i < 100; ++i) {
            ++beats;
            std::this_thread::sleep_for(1ms);
        }
    });
    t.detach();
} // 'beats' dies here, the thread does not

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
