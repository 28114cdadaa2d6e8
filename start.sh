#!/usr/bin/env bash
# Momentum scanner set-up in one command.
#   ./start.sh [ARGS...]  install missing Debian packages, build (Release), run the scanner with
#                         config/default.yaml (or $SCANNER_CONFIG) and .env beside it if present.
#                         ARGS are passed to `momentum-scanner run`.
#   ./start.sh test       the same set-up, then the three test stages below in turn; exits
#                         non-zero on the first failure. (What CI runs.)
#   ./start.sh test-main  only the main stage: the whole suite (ctest) on the Release build.
#   ./start.sh test-asan  only the sanitizer stage: the suite built with ASan + UBSan in
#                         build-asan (-O0, no benchmarks), every test but the `container` one.
#   ./start.sh test-fuzz  only the fuzz stage: the libFuzzer targets of tests/fuzz built with
#                         clang in build-fuzz, each run $SCANNER_FUZZ_SECONDS (default 60) seconds,
#                         $(nproc) targets at a time.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
  build-essential cmake ninja-build pkg-config ca-certificates openssl
  libsimdjson-dev libsqlite3-dev libyaml-cpp-dev libspdlog-dev libfmt-dev
  libboost1.81-dev libboost-json1.81-dev libssl-dev libcli11-dev libzip-dev
  libcairo2-dev libfreetype-dev libpng-dev fonts-dejavu-core  # the alert chart (src/chart)
  libgtest-dev libgmock-dev libbenchmark-dev
  mold  # the linker (CMakeLists.txt: SCANNER_MOLD)
)
# Only for the fuzz stage: libFuzzer comes with clang; clang 16 is the first whose C++23 mode
# can use libstdc++ 12's std::expected (see CMakeLists.txt).
FUZZ_PACKAGES=(clang-16 libclang-rt-16-dev)
BUILD_DIR=${SCANNER_BUILD_DIR:-build}
ASAN_BUILD_DIR=${SCANNER_ASAN_BUILD_DIR:-build-asan}
FUZZ_BUILD_DIR=${SCANNER_FUZZ_BUILD_DIR:-build-fuzz}
FUZZ_SECONDS=${SCANNER_FUZZ_SECONDS:-60}
# Unity builds (CMAKE_UNITY_BUILD): a build from scratch takes about two thirds of the time; an
# edit then recompiles its whole unity file. SCANNER_UNITY=OFF for many small rebuilds.
UNITY=${SCANNER_UNITY:-ON}
# Any sanitizer report fails the process (the code is built with -fno-sanitize-recover=all).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

log() { printf '[start.sh] %s\n' "$*" >&2; }

install_missing_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing missing Debian packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
  local generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  # Tests are always built with warnings as errors: what CI runs is what developers run.
  cmake -S . -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_UNITY_BUILD="$UNITY" -DSCANNER_WERROR="${SCANNER_WERROR:-ON}" >/dev/null
  cmake --build "$BUILD_DIR" --parallel "$(nproc)" "$@"
}

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer. -O0: the sanitizers see
# the same faults, and the instrumented build takes half -O1's time (the stage is bound by its
# compile, not by the tests); warnings are the main build's business (sanitizers add false
# positives).
# The e2e tests run the sanitized scanner binary itself; the container test is left to the main
# stage (it builds the image from source, with no sanitizer, and takes minutes).
test_asan() {
  local started=$SECONDS generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  cmake -S . -B "$ASAN_BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -g1" -DSCANNER_SANITIZE=ON -DSCANNER_BUILD_BENCH=OFF \
    -DSCANNER_WERROR=OFF -DCMAKE_UNITY_BUILD="$UNITY" >/dev/null
  cmake --build "$ASAN_BUILD_DIR" --parallel "$(nproc)"
  ctest --test-dir "$ASAN_BUILD_DIR" --output-on-failure --parallel "$(nproc)" --timeout 900 \
    --label-exclude container "$@"
  log "sanitizer stage: $((SECONDS - started)) s"
}

# The libFuzzer targets, each run FUZZ_SECONDS from its seeds; a crash fails the stage.
test_fuzz() {
  local started=$SECONDS generator=()
  install_missing_packages "${FUZZ_PACKAGES[@]}"
  command -v ninja >/dev/null && generator=(-G Ninja)
  cmake -S . -B "$FUZZ_BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1" \
    -DSCANNER_FUZZ=ON -DSCANNER_BUILD_TESTS=OFF -DSCANNER_BUILD_BENCH=OFF \
    -DCMAKE_UNITY_BUILD="$UNITY" >/dev/null
  cmake --build "$FUZZ_BUILD_DIR" --parallel "$(nproc)" --target scanner_fuzzers
  FUZZ_PARALLEL=$(nproc) tests/fuzz/run_fuzzers.sh "$FUZZ_BUILD_DIR" "$FUZZ_SECONDS"
  log "fuzz stage: $((SECONDS - started)) s"
}

test_main() {
  build
  ctest --test-dir "$BUILD_DIR" --output-on-failure --parallel "$(nproc)" --timeout 600 "$@"
  log "main stage: $SECONDS s"
}

case "${1:-run}" in
  # All stages' packages in one apt-get run.
  test) install_missing_packages "${PACKAGES[@]}" "${FUZZ_PACKAGES[@]}" ;;
  *) install_missing_packages "${PACKAGES[@]}" ;;
esac

case "${1:-run}" in
  test)
    shift
    test_main "$@"
    test_asan "$@"
    test_fuzz
    log "all stages: $SECONDS s"
    ;;
  test-main)
    shift
    test_main "$@"
    ;;
  test-asan)
    shift
    test_asan "$@"
    ;;
  test-fuzz)
    test_fuzz
    ;;
  *)
    [ "${1:-}" = run ] && shift
    build --target momentum-scanner
    exec "$BUILD_DIR/momentum-scanner" run --config "${SCANNER_CONFIG:-config/default.yaml}" "$@"
    ;;
esac
