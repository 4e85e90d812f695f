// RACE: 'current', reassigned by main's loop at line 23 while the threads read it through a [&] capture at line 24
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

std::size_t checksum(const std::string &name)
{
    std::size_t h = 0;
    for (int round = 0; round < 1000; ++round)
        for (char c : name)
            h = h * 131 + c;
    return h;
}

int main()
{
    const std::vector<std::string> files = {"a.txt", "bb.txt", "ccc.txt", "dddd.txt"};
    std::vector<std::size_t> sums(files.size());
    std::vector<std::thread> threads;
    std::string current;
    for (std::size_t i = 0; i < files.size(); ++i) {
        current = files[i];
        threads.emplace_back([&, i] { sums[i] = checksum(current); });
    }
    for (auto &t : threads)
        t.join();
    for (std::size_t i = 0; i < files.size(); ++i)
        std::printf("%s %zu\n", files[i].c_str(), sums[i]);
}
