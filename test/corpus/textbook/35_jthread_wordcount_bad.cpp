// RACE: 'counts', a global std::map updated by both jthreads at line 14
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

std::map<std::string, int> counts;

void count_words(const std::vector<std::string> &words)
{
    for (const auto &w : words)
        ++counts[w];
}

int main()
{
    const char *vocab[] = {"the", "cat", "sat", "on", "mat", "a", "dog"};
    std::vector<std::string> left, right;
    for (int i = 0; i < 20000; ++i) {
        left.push_back(vocab[i % 7]);
        right.push_back(vocab[(i * 3) % 7]);
    }
    {
        std::jthread t1(count_words, std::cref(left));
        std::jthread t2(count_words, std::cref(right));
    }
    for (const auto &[word, n] : counts)
        std::printf("%-4s %d\n", word.c_str(), n);
}
