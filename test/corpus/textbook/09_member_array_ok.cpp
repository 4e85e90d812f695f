// OK: the two threads paint disjoint row ranges [0,32) and [32,64) of the member array; main reads after the joins
#include <cstdio>
#include <thread>

class Image {
public:
    static constexpr int W = 64, H = 64;

    void fill_rows(int r0, int r1, unsigned char v)
    {
        for (int r = r0; r < r1; ++r)
            for (int c = 0; c < W; ++c)
                px[r * W + c] = v;
    }
    long checksum() const
    {
        long s = 0;
        for (unsigned char p : px)
            s += p;
        return s;
    }

private:
    unsigned char px[W * H] = {};
};

int main()
{
    Image img;
    std::thread top([&img] { for (int n = 0; n < 1000; ++n) img.fill_rows(0, 32, 10); });
    std::thread bottom([&img] { for (int n = 0; n < 1000; ++n) img.fill_rows(32, Image::H, 200); });
    top.join();
    bottom.join();
    std::printf("checksum = %ld\n", img.checksum());
}
