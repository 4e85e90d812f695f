// OK: the consumer waits on a condition variable and tests and pops 'jobs' under 'jobs_mutex', as the producer pushes
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <queue>
#include <thread>

std::queue<int> jobs;
std::mutex jobs_mutex;
std::condition_variable jobs_cv;
bool done = false;

void producer()
{
    for (int i = 1; i <= 20000; ++i) {
        std::lock_guard<std::mutex> lock(jobs_mutex);
        jobs.push(i);
        jobs_cv.notify_one();
    }
    std::lock_guard<std::mutex> lock(jobs_mutex);
    done = true;
    jobs_cv.notify_one();
}

void consumer(long &sum)
{
    std::unique_lock<std::mutex> lock(jobs_mutex);
    for (;;) {
        jobs_cv.wait(lock, [] { return !jobs.empty() || done; });
        while (!jobs.empty()) {
            sum += jobs.front();
            jobs.pop();
        }
        if (done)
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
