// OK: transfer() locks both accounts' mutexes with std::scoped_lock (deadlock-free) before touching either balance
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

struct Account {
    std::string owner;
    long balance;
    std::mutex m;
};

void transfer(Account &from, Account &to, long amount)
{
    std::scoped_lock lock(from.m, to.m);
    if (from.balance >= amount) {
        from.balance -= amount;
        to.balance += amount;
    }
}

void pay_many(Account &from, Account &to, long amount, int times)
{
    for (int i = 0; i < times; ++i)
        transfer(from, to, amount);
}

int main()
{
    Account alice{"alice", 1000000, {}}, bob{"bob", 1000000, {}};
    std::thread t1(pay_many, std::ref(alice), std::ref(bob), 5, 50000);
    std::thread t2(pay_many, std::ref(bob), std::ref(alice), 3, 50000);
    t1.join();
    t2.join();
    std::printf("alice %ld + bob %ld = %ld (expected 2000000)\n", alice.balance,
                bob.balance, alice.balance + bob.balance);
}
