// RACE: 'completed', incremented by the workers the dispatcher thread starts, at line 12
#include <cstdio>
#include <thread>
#include <vector>

int completed = 0;

void work(int id)
{
    for (int i = 0; i < 20000; ++i)
        if ((i + id) % 3 == 0)
            ++completed;
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
