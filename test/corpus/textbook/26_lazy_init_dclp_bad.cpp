// RACE: 'instance', a plain pointer read outside the lock at line 22 and written under it at line 25 (double-checked locking)
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>

class Config {
public:
    Config() { values_["threads"] = 4; values_["retries"] = 3; }
    int get(const std::string &key) const { return values_.at(key); }

private:
    std::map<std::string, int> values_;
};

Config *instance = nullptr;
std::mutex init_mutex;

Config *get_config()
{
    if (instance == nullptr) {
        std::lock_guard<std::mutex> lock(init_mutex);
        if (instance == nullptr)
            instance = new Config();
    }
    return instance;
}

void worker(long *out)
{
    for (int i = 0; i < 1000; ++i)
        *out += get_config()->get("threads");
}

int main()
{
    long a_sum = 0, b_sum = 0;
    std::thread a(worker, &a_sum), b(worker, &b_sum);
    a.join();
    b.join();
    std::printf("%ld %ld\n", a_sum, b_sum);
    delete instance;
}
