#!/usr/bin/env bash
# Runs each libFuzzer target of a SCANNER_FUZZ build for a while, from its seeds.
#   tests/fuzz/run_fuzzers.sh BUILD_DIR SECONDS [TARGET...]
# TARGETs are names without "_fuzz" (default: all). Each run starts from the seed directories
# below plus what earlier runs kept in BUILD_DIR/fuzz/corpus/<target>; crashes are written to
# BUILD_DIR/fuzz/artifacts/ and fail the script. Prints one "<target>: N executions" line each.
# Environment:
#   FUZZ_PARALLEL     targets fuzzed at once (default 1); each libFuzzer process uses one core.
#   FUZZ_RUNS         stop each target after this many executions instead of after SECONDS
#                     (SECONDS is then ignored; used for the long runs the README reports).
#   FUZZ_FORK         run each target as libFuzzer -fork=N: N worker processes, one corpus, one
#                     execution count (for a long run of a slow target on several cores).
#   FUZZ_SHARED_DATA  recorded Binance payloads (default ../shared/data beside the repository).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build_dir=$(cd "$1" && pwd)
seconds=$2
shift 2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(stream_frames rest_payload discord_response config_yaml kline_file)
shared=${FUZZ_SHARED_DATA:-$repo/../shared/data}
fixtures=$repo/tests/fixtures
parallel=${FUZZ_PARALLEL:-1}
if [ -n "${FUZZ_RUNS:-}" ]; then
  limit=(-runs="$FUZZ_RUNS")
  budget="$FUZZ_RUNS runs"
else
  limit=(-max_total_time="$seconds")
  budget="${seconds}s"
fi
fork=()
if [ -n "${FUZZ_FORK:-}" ]; then
  # Fork mode ignores timeouts and out-of-memory by default (crashes not); every finding must
  # fail here, so all three are said explicitly.
  fork=(-fork="$FUZZ_FORK" -ignore_timeouts=0 -ignore_ooms=0 -ignore_crashes=0)
fi

# Seed directories and the longest input per target. Inputs longer than max_len are truncated
# (the multi-megabyte exchangeInfo and ticker captures then start valid and end cut short).
seeds() {
  local dirs=()
  case $1 in
    stream_frames) dirs=("$here/seeds/stream_frames" "$fixtures/ws" "$shared/ws") ;;
    rest_payload) dirs=("$fixtures/rest" "$shared/exchangeInfo" "$shared/klines_rest"
                        "$shared/ticker24hr" "$shared/errors") ;;
    discord_response) dirs=("$here/seeds/discord_response") ;;
    config_yaml) dirs=("$here/seeds/config_yaml" "$repo/config") ;;
    kline_file) dirs=("$here/seeds/kline_file" "$fixtures/replay" "$shared/binance_vision"
                      "$shared/ohlcv") ;;
  esac
  for dir in "${dirs[@]}"; do [ -d "$dir" ] && printf '%s\n' "$dir"; done
}
# Long enough for every parser's interesting inputs: a kline file needs more than one line of
# LineReader::kMaxLineLength (4096) to reach the over-long-line path, a config the whole
# default.yaml (4.2 kB).
max_len() {
  case $1 in
    rest_payload) echo 65536 ;;
    *) echo 8192 ;;
  esac
}

# Fuzzes one target; its summary goes to BUILD_DIR/fuzz/<target>.result.
fuzz_one() {
  local target=$1
  local binary=$build_dir/fuzz/${target}_fuzz
  local corpus=$build_dir/fuzz/corpus/$target
  local artifacts=$build_dir/fuzz/artifacts/$target/
  local log=$build_dir/fuzz/$target.log
  local result=$build_dir/fuzz/$target.result
  local started=$SECONDS seed_dirs
  mkdir -p "$corpus" "$artifacts"
  mapfile -t seed_dirs < <(seeds "$target")
  if "$binary" "${limit[@]}" "${fork[@]}" -max_len="$(max_len "$target")" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts" \
      "$corpus" "${seed_dirs[@]}" >"$log" 2>&1; then
    local runs
    # A single process prints final stats; fork mode only its progress lines ("#N: cov: ...").
    runs=$(sed -n -e 's/^stat::number_of_executed_units: *//p' -e 's/^#\([0-9]*\): cov:.*/\1/p' \
      "$log" | tail -1)
    printf '%s: %s executions in %ss (budget %s), corpus %s inputs\n' "$target" "${runs:-?}" \
      "$((SECONDS - started))" "$budget" "$(find "$corpus" -type f | wc -l)" >"$result"
  else
    {
      printf '%s: FAILED (log %s, inputs in %s)\n' "$target" "$log" "$artifacts"
      grep -E -m 20 'ERROR|runtime error|SUMMARY|#0 |#1 |#2 |#3 ' "$log" || tail -n 30 "$log"
    } >"$result"
    return 1
  fi
}

status=0
running=0
for target in "${targets[@]}"; do
  if [ "$running" -ge "$parallel" ]; then
    wait -n || status=1
    running=$((running - 1))
  fi
  fuzz_one "$target" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || status=1
  running=$((running - 1))
done
for target in "${targets[@]}"; do
  if grep -q FAILED "$build_dir/fuzz/$target.result"; then
    cat "$build_dir/fuzz/$target.result" >&2
  else
    cat "$build_dir/fuzz/$target.result"
  fi
done
exit $status
