// RACE: 'lines', pushed to by the std::async task through a reference capture at line 12 and by main at line 15
#include <cstdio>
#include <future>
#include <string>
#include <vector>

int main()
{
    std::vector<std::string> lines;
    auto task = std::async(std::launch::async, [&lines] {
        for (int i = 0; i < 2000; ++i)
            lines.push_back("worker " + std::to_string(i));
    });
    for (int i = 0; i < 2000; ++i)
        lines.push_back("main " + std::to_string(i));
    task.get();
    std::size_t from_worker = 0;
    for (const auto &line : lines)
        from_worker += line.rfind("worker", 0) == 0;
    std::printf("%zu lines (expected 4000), %zu from the worker\n", lines.size(), from_worker);
}
