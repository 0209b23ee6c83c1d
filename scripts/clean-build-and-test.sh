#!/usr/bin/env bash
# Times `cargo test` from a clean target directory at one commit: the
# build-and-test time of a fresh checkout (issue 19 item 9 compares the
# integration tests as 21 binaries with one). Usage:
#   scripts/clean-build-and-test.sh [COMMIT]   (default: HEAD)
# Run it on a quiet machine; it prints the wall time, CPU time and the number
# of test binaries run. The clean build needs about 6 GB under $TMPDIR.
set -euo pipefail
commit=${1:-HEAD}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/mot-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/src"
git -C "$work/src" checkout -q "$commit"
cd "$work/src"
/usr/bin/time -f '%e s wall, %U s user, %S s system' -o "$work/time" \
    env CARGO_TARGET_DIR="$work/target" cargo test >"$work/log" 2>&1 || {
    tail -30 "$work/log"
    exit 1
}
binaries=$(grep -c '^     Running ' "$work/log" || true)
tests=$(grep '^test result' "$work/log" | awk '{s += $4 + $8} END {print s}')
echo "commit $(git rev-parse --short HEAD): $(cat "$work/time"); $binaries test binaries, $tests tests"
