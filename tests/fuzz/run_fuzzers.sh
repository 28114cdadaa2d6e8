#!/usr/bin/env bash
# Runs each libFuzzer target of a SCANNER_FUZZ build for a while, from its seeds.
#   tests/fuzz/run_fuzzers.sh BUILD_DIR SECONDS [TARGET...]
# TARGETs are names without "_fuzz" (default: all). Each run starts from the seed directories
# below plus what earlier runs kept in BUILD_DIR/fuzz/corpus/<target>; crashes are written to
# BUILD_DIR/fuzz/artifacts/ and fail the script. Prints one "<target>: N executions" line each.
# Environment: FUZZ_SHARED_DATA (default ../shared/data beside the repository), FUZZ_JOBS_LOG.
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
max_len() {
  case $1 in
    rest_payload) echo 65536 ;;
    kline_file) echo 16384 ;;
    *) echo 8192 ;;
  esac
}

status=0
for target in "${targets[@]}"; do
  binary=$build_dir/fuzz/${target}_fuzz
  corpus=$build_dir/fuzz/corpus/$target
  artifacts=$build_dir/fuzz/artifacts/$target/
  log=$build_dir/fuzz/$target.log
  mkdir -p "$corpus" "$artifacts"
  mapfile -t seed_dirs < <(seeds "$target")
  if "$binary" -max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts" \
      "$corpus" "${seed_dirs[@]}" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    printf '%s: %s executions in %ss, corpus %s inputs\n' "$target" "${runs:-?}" "$seconds" \
      "$(find "$corpus" -type f | wc -l)"
  else
    printf '%s: FAILED (log %s, inputs in %s)\n' "$target" "$log" "$artifacts" >&2
    grep -E -m 20 'ERROR|runtime error|SUMMARY|#0 |#1 |#2 |#3 ' "$log" >&2 || tail -n 30 "$log" >&2
    status=1
  fi
done
exit $status
