// RACE: 'acct.balance_', written by Account::deposit in both threads at line 10
#include <iostream>
#include <thread>

class Account {
public:
    void deposit(int amount)
    {
        for (int i = 0; i < 100000; ++i)
            balance_ += amount;
    }
    long balance() const { return balance_; }

private:
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
