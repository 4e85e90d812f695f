// OK: every member function of Inventory, total() included, holds 'm_'
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>

class Inventory {
public:
    void add(const std::string &item, int n)
    {
        std::lock_guard<std::mutex> lock(m_);
        stock_[item] += n;
        total_ += n;
    }
    int count(const std::string &item) const
    {
        std::lock_guard<std::mutex> lock(m_);
        auto it = stock_.find(item);
        return it == stock_.end() ? 0 : it->second;
    }
    int total() const
    {
        std::lock_guard<std::mutex> lock(m_);
        return total_;
    }

private:
    mutable std::mutex m_;
    std::map<std::string, int> stock_;
    int total_ = 0;
};

int main()
{
    Inventory inv;
    std::thread filler([&inv] {
        for (int i = 0; i < 20000; ++i)
            inv.add(i % 2 ? "widget" : "gadget", 1);
    });
    int peak = 0;
    for (int i = 0; i < 20000; ++i)
        if (int t = inv.total(); t > peak)
            peak = t;
    filler.join();
    std::printf("peak %d, widgets %d\n", peak, inv.count("widget"));
}
