// RACE: 'jobs', pushed under 'jobs_mutex' by the producer at line 15 but tested, read and popped without it by the consumer at lines 24, 25, 26
#include <cstdio>
#include <mutex>
#include <queue>
#include <thread>

std::queue<int> jobs;
std::mutex jobs_mutex;
bool done = false;

void producer()
{
    for (int i = 1; i <= 20000; ++i) {
        std::lock_guard<std::mutex> lock(jobs_mutex);
        jobs.push(i);
    }
    std::lock_guard<std::mutex> lock(jobs_mutex);
    done = true;
}

void consumer(long &sum)
{
    for (;;) {
        if (!jobs.empty()) {
            sum += jobs.front();
            jobs.pop();
            continue;
        }
        std::lock_guard<std::mutex> lock(jobs_mutex);
        if (done && jobs.empty())
            return;
    }
}

int main()
{
    long sum = 0;
    std::thread c(consumer, std::ref(sum));
    std::thread p(producer);
    p.join();
    c.join();
    std::printf("sum = %ld (expected 200010000)\n", sum);
}
