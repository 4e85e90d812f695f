// RACE: 'found', one vector pushed to by every task the loop starts, at line 24
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
    std::vector<std::future<void>> tasks;
    for (int t = 0; t < 4; ++t)
        tasks.push_back(std::async(std::launch::async, [&found, t] {
            for (int n = t * 25000; n < (t + 1) * 25000; ++n)
                if (is_prime(n))
                    found.push_back(n);
        }));
    for (auto &f : tasks)
        f.get();
    std::printf("%zu primes below 100000 (expected 9592)\n", found.size());
}
