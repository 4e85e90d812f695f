# Shared by scripts/demo and scripts/test: install what is missing, then
# configure and build. Sourced, not run.
set -euo pipefail

SENDSYNC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JOBS=${JOBS:-$(nproc)}

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages that are not installed yet (idempotent: a
# machine that has them all runs no apt-get at all).
ensure_packages() {
  local missing=()
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "sendsync: installing ${missing[*]}" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The packages needed to build and test against LLVM major version $1.
llvm_packages() {
  local v=$1
  echo "clang-$v clang-tidy-$v clang-tools-$v libclang-$v-dev llvm-$v-dev llvm-$v-tools libclang-rt-$v-dev"
}

# libc++ for LLVM major version $1, to test the checker on libc++'s
# spellings. Debian's libc++-N-dev packages conflict with each other, so only
# one version can have it; the lit suites of the others report that test as
# unsupported.
libcxx_packages() {
  echo "libc++-$1-dev libc++abi-$1-dev"
}

base_packages() {
  echo "cmake ninja-build g++ make python3 python3-yaml libgtest-dev git pre-commit"
}

# The peers of the runtime benchmarks (bench/run-runtime): C++ libraries,
# Rust crates as Debian source packages (built offline from
# /usr/share/cargo/registry), valgrind for instruction counts, matplotlib for
# the plots (Debian's /usr/bin/python3).
bench_packages() {
  echo "libtbb-dev libabsl-dev libboost-dev libboost-thread-dev" \
    "libconcurrentqueue-dev libreaderwriterqueue-dev" \
    "librust-crossbeam-channel-dev librust-flume-dev librust-parking-lot-dev" \
    "librust-rayon-dev valgrind python3-matplotlib"
}

# build_dir VERSION: where the build for that LLVM version lives. The default
# version builds in build/, so build/lib/libSendSyncTidy.so is the plugin.
build_dir() {
  if [ "$1" = 19 ]; then echo "$SENDSYNC_ROOT/build"; else echo "$SENDSYNC_ROOT/build-$1"; fi
}

# configure_and_build VERSION [TARGET...]: everything, or just the targets.
configure_and_build() {
  local v=$1 dir targets=()
  shift
  for t in "$@"; do targets+=(--target "$t"); done
  dir=$(build_dir "$v")
  cmake -S "$SENDSYNC_ROOT" -B "$dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release \
    -DSENDSYNC_LLVM_VERSION="$v" \
    -DCMAKE_C_COMPILER="clang-$v" -DCMAKE_CXX_COMPILER="clang++-$v" >/dev/null
  cmake --build "$dir" -j "$JOBS" "${targets[@]}"
}
