// OK: the task and main push to 'lines' only while holding 'lines_mutex'; main reads the size after task.get()
#include <cstdio>
#include <future>
#include <mutex>
#include <string>
#include <vector>

int main()
{
    std::vector<std::string> lines;
    std::mutex lines_mutex;
    auto task = std::async(std::launch::async, [&lines, &lines_mutex] {
        for (int i = 0; i < 2000; ++i) {
            std::lock_guard<std::mutex> lock(lines_mutex);
            lines.push_back("worker " + std::to_string(i));
        }
    });
    for (int i = 0; i < 2000; ++i) {
        std::lock_guard<std::mutex> lock(lines_mutex);
        lines.push_back("main " + std::to_string(i));
    }
    task.get();
    std::size_t from_worker = 0;
    for (const auto &line : lines)
        from_worker += line.rfind("worker", 0) == 0;
    std::printf("%zu lines (expected 4000), %zu from the worker\n", lines.size(), from_worker);
}
