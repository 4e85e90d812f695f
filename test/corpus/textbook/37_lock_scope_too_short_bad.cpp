// RACE: 'balance', read under the guard but written at line 16 after the guard's scope has ended
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex balance_mutex;
long balance = 0;

void deposit(long amount)
{
    long current;
    {
        std::lock_guard<std::mutex> lock(balance_mutex);
        current = balance;
    }
    balance = current + amount;
}

void payroll(long amount)
{
    for (int i = 0; i < 50000; ++i)
        deposit(amount);
}

int main()
{
    std::thread a(payroll, 1), b(payroll, 2);
    a.join();
    b.join();
    std::printf("balance = %ld (expected 150000)\n", balance);
}
