#!/bin/sh
# run.sh - build tokentrend in Release and run the history benchmark
# (bench/README.md).  Arguments go to bench_history (--models N --years Y
# --dir DIR --keep --general --queries-only).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$top" -B "$top/build-bench" -DCMAKE_BUILD_TYPE=Release -DTT_BUILD_BENCH=ON \
	-DTT_BUILD_TESTS=OFF >/dev/null
cmake --build "$top/build-bench" --target bench_history -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
exec "$top/build-bench/bench/bench_history" "$@"
