#!/usr/bin/env bash
# Momentum scanner set-up in one command.
#   ./start.sh [ARGS...]  install missing Debian packages, build (Release), run the scanner with
#                         config/default.yaml (or $SCANNER_CONFIG) and .env beside it if present.
#                         ARGS are passed to `momentum-scanner run`.
#   ./start.sh test       the same set-up, then build and run the whole test suite (ctest);
#                         exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
  build-essential cmake ninja-build pkg-config ca-certificates openssl
  libsimdjson-dev libsqlite3-dev libyaml-cpp-dev libspdlog-dev libfmt-dev
  libboost1.81-dev libboost-json1.81-dev libssl-dev libcli11-dev libzip-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
BUILD_DIR=${SCANNER_BUILD_DIR:-build}

log() { printf '[start.sh] %s\n' "$*" >&2; }

install_missing_packages() {
  local missing=()
  for package in "${PACKAGES[@]}"; do
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
    -DSCANNER_WERROR="${SCANNER_WERROR:-ON}" >/dev/null
  cmake --build "$BUILD_DIR" --parallel "$(nproc)" "$@"
}

install_missing_packages

case "${1:-run}" in
  test)
    shift
    build
    ctest --test-dir "$BUILD_DIR" --output-on-failure --parallel "$(nproc)" --timeout 600 "$@"
    ;;
  *)
    [ "${1:-}" = run ] && shift
    build --target momentum-scanner
    exec "$BUILD_DIR/momentum-scanner" run --config "${SCANNER_CONFIG:-config/default.yaml}" "$@"
    ;;
esac
