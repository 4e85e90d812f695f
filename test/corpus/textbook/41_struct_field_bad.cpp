// RACE: 'p.x', moved by the thread at line 15 and by main at line 18
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
        p.x -= 0.25;
    mover.join();
    std::printf("(%g, %g)\n", p.x, p.y);
}
