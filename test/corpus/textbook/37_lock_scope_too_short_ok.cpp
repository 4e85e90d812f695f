// OK: the read and the write of 'balance' are in the same guard's scope
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex balance_mutex;
long balance = 0;

void deposit(long amount)
{
    std::lock_guard<std::mutex> lock(balance_mutex);
    long current = balance;
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
