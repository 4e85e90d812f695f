// OK: Account::deposit and Account::balance both hold the member mutex 'm_'
#include <iostream>
#include <mutex>
#include <thread>

class Account {
public:
    void deposit(int amount)
    {
        for (int i = 0; i < 100000; ++i) {
            std::lock_guard<std::mutex> lock(m_);
            balance_ += amount;
        }
    }
    long balance() const
    {
        std::lock_guard<std::mutex> lock(m_);
        return balance_;
    }

private:
    mutable std::mutex m_;
    long balance_ = 0;
};

int main()
{
    Account acct;
    std::thread t1(&Account::deposit, &acct, 10);
    std::thread t2(&Account::deposit, &acct, 20);
    t1.join();
    t2.join();
    std::cout << "balance = " << acct.balance() << '\n';
}
