// OK: the thread writes only 'p.x' and main only 'p.y', distinct memory locations; main reads 'p.x' after the join
#include <cstdio>
#include <thread>

struct Point {
    double x = 0;
    double y = 0;
};

int main()
{
    Point p;
    std::thread mover([&p] {
        for (int i = 0; i < 100000; ++i)
            p.x += 0.5;
    });
    for (int i = 0; i < 100000; ++i)
        p.y -= 0.25;
    mover.join();
    std::printf("(%g, %g)\n", p.x, p.y);
}
