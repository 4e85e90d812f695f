// OK: each task fills and returns its own vector; main appends them after get()
#include <cstdio>
#include <future>
#include <vector>

bool is_prime(int n)
{
    if (n < 2)
        return false;
    for (int d = 2; d * d <= n; ++d)
        if (n % d == 0)
            return false;
    return true;
}

int main()
{
    std::vector<int> found;
    std::vector<std::future<std::vector<int>>> tasks;
    for (int t = 0; t < 4; ++t)
        tasks.push_back(std::async(std::launch::async, [t] {
            std::vector<int> mine;
            for (int n = t * 25000; n < (t + 1) * 25000; ++n)
                if (is_prime(n))
                    mine.push_back(n);
            return mine;
        }));
    for (auto &f : tasks) {
        std::vector<int> part = f.get();
        found.insert(found.end(), part.begin(), part.end());
    }
    std::printf("%zu primes below 100000 (expected 9592)\n", found.size());
}
