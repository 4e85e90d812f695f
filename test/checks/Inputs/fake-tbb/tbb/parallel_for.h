// The declarations of oneTBB 2021's parallel loops the parallel tests use,
// laid out as the real headers are: defined in tbb::detail::d1 and brought
// into tbb by a using-declaration in an inline namespace, so a call spells
// `tbb::parallel_for` while the function's own name is
// `tbb::detail::d1::parallel_for`. Each runs its body on the calling thread
// (enough for the checker, which reads declarations only); the TSan runs of
// test/checks/parallel use the real oneTBB.
#ifndef FAKE_TBB_PARALLEL_FOR_H
#define FAKE_TBB_PARALLEL_FOR_H

#include <cstddef>

namespace tbb {
namespace detail {
namespace d1 {

template <typename Value> class blocked_range {
public:
  blocked_range(Value b, Value e, std::size_t grain = 1)
      : my_begin(b), my_end(e), my_grain(grain) {}
  Value begin() const { return my_begin; }
  Value end() const { return my_end; }
  bool empty() const { return !(my_begin < my_end); }

private:
  Value my_begin, my_end;
  std::size_t my_grain;
};

class auto_partitioner {};

template <typename Range, typename Body>
void parallel_for(const Range &range, const Body &body) {
  body(range);
}
template <typename Range, typename Body>
void parallel_for(const Range &range, const Body &body,
                  const auto_partitioner &) {
  body(range);
}
template <typename Index, typename Function>
void parallel_for(Index first, Index last, const Function &f) {
  for (Index i = first; i < last; ++i)
    f(i);
}

template <typename Iterator, typename Body>
void parallel_for_each(Iterator first, Iterator last, const Body &body) {
  for (; first != last; ++first)
    body(*first);
}

template <typename Range, typename Value, typename RealBody,
          typename Reduction>
Value parallel_reduce(const Range &range, const Value &identity,
                      const RealBody &real_body, const Reduction &reduction) {
  return reduction(identity, real_body(range, identity));
}

} // namespace d1
} // namespace detail

inline namespace v1 {
using detail::d1::auto_partitioner;
using detail::d1::blocked_range;
using detail::d1::parallel_for;
using detail::d1::parallel_for_each;
using detail::d1::parallel_reduce;
} // namespace v1

} // namespace tbb

#endif // FAKE_TBB_PARALLEL_FOR_H
