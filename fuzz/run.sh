#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 300), two at a time (one per core).
# Needs a nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly --profile minimal && cargo install cargo-fuzz
# A crash leaves its input in fuzz/artifacts/<target>/; copy it into fuzz/regressions/<target>/
# so `cargo xtask test` replays it forever after.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-300}
targets=$(cargo +nightly fuzz list)
cargo +nightly fuzz build
printf '%s\n' $targets | xargs -P 2 -I{} sh -c \
  "cargo +nightly fuzz run {} corpus/{} -- -max_total_time=$seconds -print_final_stats=1 > logs/{}.log 2>&1 && echo '{}: ok' || echo '{}: FAILED (see fuzz/logs/{}.log)'"
