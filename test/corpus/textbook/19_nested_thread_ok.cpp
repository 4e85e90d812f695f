// OK: the workers the dispatcher thread starts update 'completed' under 'completed_mutex'; main reads after the join
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

int completed = 0;
std::mutex completed_mutex;

void work(int id)
{
    for (int i = 0; i < 20000; ++i)
        if ((i + id) % 3 == 0) {
            std::lock_guard<std::mutex> lock(completed_mutex);
            ++completed;
        }
}

void dispatch(int nworkers)
{
    std::vector<std::thread> workers;
    for (int id = 0; id < nworkers; ++id)
        workers.emplace_back(work, id);
    for (auto &w : workers)
        w.join();
}

int main()
{
    std::thread dispatcher(dispatch, 4);
    dispatcher.join();
    std::printf("completed = %d\n", completed);
}
