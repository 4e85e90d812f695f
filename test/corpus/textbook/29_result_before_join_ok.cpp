// OK: main reads 'primes' only after t.join()
#include <cstdio>
#include <functional>
#include <thread>
#include <vector>

void sieve(int limit, std::vector<int> &out)
{
    std::vector<bool> composite(limit + 1);
    for (int n = 2; n <= limit; ++n) {
        if (composite[n])
            continue;
        out.push_back(n);
        for (long m = (long)n * n; m <= limit; m += n)
            composite[m] = true;
    }
}

int main()
{
    std::vector<int> primes;
    std::thread t(sieve, 200000, std::ref(primes));
    t.join();
    std::printf("found %zu primes\n", primes.size());
}
