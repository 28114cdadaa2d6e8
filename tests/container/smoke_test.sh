#!/usr/bin/env bash
# Container smoke test (issue 7): builds the image from docker/Dockerfile with podman, starts the
# compose project of docker/docker-compose.yml pointed at `fake_world` (scripted fake Binance and
# fake Discord on 127.0.0.1), and checks that /healthz turns 200 and that one alert reaches the
# fake Discord. Follows ../shared/CONTAINERS.md: Debian's podman, a base image made with
# debootstrap (no registry is reachable), runc and explicit ulimits in a containers.conf, and
# Debian's docker-compose (v1) against `podman system service`. Not podman-compose: its 1.0.3
# (Debian 12) adds the project network to every container, and podman refuses that next to
# `network_mode: host` ("cannot set multiple networks without bridge network mode").
#
#   tests/container/smoke_test.sh --fake-world build/fake_world [--source-dir .]
#   ctest --test-dir build -L container --output-on-failure
#
# Needs root or password-less sudo (package installation; podman runs as the calling user) and
# Debian's apt mirror. Everything it starts (fake_world, the podman service, the compose project
# and its volume) is stopped and removed on exit, also on failure; the images stay as the cache of
# the next run.
#
# Environment (all optional):
#   SMOKE_CACHE_DIR       rootfs tarball cache (default ${XDG_CACHE_HOME:-$HOME/.cache}/momentum-scanner)
#   SMOKE_HEALTH_TIMEOUT  seconds for /healthz to turn 200 once the container runs (default 180)
#   SMOKE_ALERT_TIMEOUT   seconds for the alert to arrive once the move is planned (default 90)
#   SMOKE_KEEP_WORKDIR=1  keep the temporary directory (configs, logs) after a successful run
#   SMOKE_SKIP_BUILD=1    use the existing momentum-scanner:latest instead of building it (for
#                         iterating on the compose half; CI never sets it)
set -euo pipefail

readonly IMAGE=momentum-scanner:latest
readonly BASE_IMAGE=localhost/debian:bookworm-slim
readonly BASE_ALIAS=docker.io/library/debian:bookworm-slim
readonly SYMBOLS=AAAUSDT,BBBUSDT,CCCUSDT

fake_world=""
source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
while (($# > 0)); do
  case "$1" in
    --fake-world) fake_world="$2"; shift 2 ;;
    --source-dir) source_dir="$(cd "$2" && pwd)"; shift 2 ;;
    -h | --help) sed -n '2,19p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "smoke_test.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

started_at=$SECONDS
log() { printf '[smoke %4ds] %s\n' "$((SECONDS - started_at))" "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

[[ -n "$fake_world" ]] || die "--fake-world PATH is required (the fake_world target of tests/fakes)"
[[ -x "$fake_world" ]] || die "fake_world is not an executable: $fake_world"
[[ -f "$source_dir/docker/Dockerfile" && -f "$source_dir/docker/docker-compose.yml" ]] ||
  die "no docker/Dockerfile and docker/docker-compose.yml under $source_dir"

sudo_cmd=()
if ((EUID != 0)); then
  command -v sudo >/dev/null && sudo -n true 2>/dev/null ||
    die "packages may have to be installed: run as root or with password-less sudo"
  sudo_cmd=(sudo -n)
fi

# ---- packages -------------------------------------------------------------------------------
# runc because crun refuses hybrid cgroups (see below); --no-install-recommends keeps Debian's
# dockerd out (docker-compose only needs the podman service's Docker API).
packages=(podman buildah debootstrap docker-compose runc curl ca-certificates)
((EUID == 0)) || packages+=(uidmap slirp4netns fuse-overlayfs)  # rootless podman
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  log "installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---- temporary directory and teardown --------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/scanner-smoke.XXXXXX")"
project="scanner-smoke-$$"
fake_world_pid=""
service_pid=""
compose_file=""
container=""
failed=1

compose() { docker-compose --no-ansi -p "$project" -f "$compose_file" "$@"; }

teardown() {
  local status=$?
  set +e
  if ((failed)); then
    if [[ -n "$container" ]] && podman container exists "$container" 2>/dev/null; then
      log "container state: $(podman inspect -f '{{.State.Status}} exit={{.State.ExitCode}}' "$container")"
      log "---- container logs (last 200 lines) ----"
      podman logs --tail 200 "$container" >&2
    fi
    if [[ -f "$work/fake_world.log" ]]; then
      log "---- fake_world log (last 50 lines) ----"
      tail -n 50 "$work/fake_world.log" >&2
    fi
  fi
  if [[ -n "$compose_file" ]]; then
    compose down -v -t 20 >"$work/compose-down.log" 2>&1 ||
      { log "compose down failed:"; cat "$work/compose-down.log" >&2; }
    # Named volumes of this project that `down -v` missed (it only knows the declared ones).
    podman volume ls -q --filter "label=com.docker.compose.project=$project" 2>/dev/null |
      xargs -r podman volume rm -f >/dev/null 2>&1
  fi
  if [[ -n "$fake_world_pid" ]] && kill -0 "$fake_world_pid" 2>/dev/null; then
    kill -TERM "$fake_world_pid"
    for _ in $(seq 50); do kill -0 "$fake_world_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$fake_world_pid" 2>/dev/null && kill -KILL "$fake_world_pid"
    wait "$fake_world_pid" 2>/dev/null
  fi
  if [[ -n "$service_pid" ]] && kill -0 "$service_pid" 2>/dev/null; then
    kill -TERM "$service_pid"
    wait "$service_pid" 2>/dev/null
  fi
  if ((failed)) || [[ "${SMOKE_KEEP_WORKDIR:-0}" == 1 ]]; then
    log "kept $work"
  else
    rm -rf "$work"
  fi
  ((failed)) && log "container smoke test FAILED after $((SECONDS - started_at)) s" ||
    log "container smoke test passed in $((SECONDS - started_at)) s"
  exit $((status != 0 ? status : failed))
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- podman configuration --------------------------------------------------------------------
# The defaults fail on these machines: crun does not support hybrid cgroups (v1 + v2), and the
# default nofile/nproc limits are above what an unprivileged-resource process may set.
limit() {  # min(wanted, hard limit)
  local hard=$1 wanted=$2
  [[ "$hard" == unlimited ]] || ((hard >= wanted)) && echo "$wanted" || echo "$hard"
}
nofile=$(limit "$(ulimit -Hn)" 20000)
nproc=$(limit "$(ulimit -Hu)" 32768)
cat >"$work/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
EOF
export CONTAINERS_CONF="$work/containers.conf"

# ---- base image: debootstrap, since no registry is reachable ---------------------------------
# The Debian mirror (and security mirror) this machine's apt uses, from deb822 .sources files or
# one-line .list files; never a hard-coded host.
apt_uri_for_suite() {
  local suite=$1 file
  for file in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$file" ]] || continue
    # Stanzas are separated by blank lines; print URIs of the stanza whose Suites has $suite.
    awk -v suite="$suite" '
      BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; found = 0; enabled = 1
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { uris = $i; sub(/^URIs:[ \t]*/, "", uris) }
          if ($i ~ /^Suites:/) { n = split($i, s, /[ \t]+/); for (j = 2; j <= n; j++) if (s[j] == suite) found = 1 }
          if ($i ~ /^Enabled:[ \t]*no/) enabled = 0
          if ($i ~ /^Types:/ && $i !~ /(^|[ \t])deb([ \t]|$)/) enabled = 0
        }
        if (found && enabled && uris != "") { split(uris, u, /[ \t]+/); print u[1]; exit }
      }' "$file"
  done
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$file" ]] || continue
    awk -v suite="$suite" '$1 == "deb" {
        i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit } }' "$file"
  done
}

make_base_image() {
  local cache_dir="${SMOKE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/momentum-scanner}"
  local tarball="$cache_dir/debian-bookworm-minbase.tar"
  if [[ ! -s "$tarball" ]]; then
    local mirror security rootfs="$work/rootfs"
    mirror="$(apt_uri_for_suite bookworm | head -n1)"
    security="$(apt_uri_for_suite bookworm-security | head -n1)"
    [[ -n "$mirror" ]] || die "no Debian bookworm mirror in /etc/apt/sources.list{,.d}"
    log "debootstrap bookworm from $mirror (base image $BASE_IMAGE)"
    "${sudo_cmd[@]}" debootstrap --variant=minbase bookworm "$rootfs" "$mirror" \
      >"$work/debootstrap.log" 2>&1 ||
      { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
    # The same apt sources as the host, and the slim image's habits: no docs, no apt caches.
    {
      echo "deb $mirror bookworm main"
      echo "deb $mirror bookworm-updates main"
      [[ -z "$security" ]] || echo "deb $security bookworm-security main"
    } | "${sudo_cmd[@]}" tee "$rootfs/etc/apt/sources.list" >/dev/null
    printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
      'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' \
      'path-exclude /usr/share/locale/*' 'path-include /usr/share/locale/locale.alias' |
      "${sudo_cmd[@]}" tee "$rootfs/etc/dpkg/dpkg.cfg.d/slim" >/dev/null
    "${sudo_cmd[@]}" rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    mkdir -p "$cache_dir"
    "${sudo_cmd[@]}" tar -C "$rootfs" --numeric-owner -cf - . >"$tarball.tmp"
    mv "$tarball.tmp" "$tarball"
    "${sudo_cmd[@]}" rm -rf "$rootfs"
  else
    log "base image from cached $tarball"
  fi
  podman import --quiet --change 'CMD ["bash"]' "$tarball" "$BASE_IMAGE" >/dev/null
}

if ! podman image exists "$BASE_IMAGE"; then
  make_base_image
fi
# `FROM debian:bookworm-slim` resolves to the local image through this name.
podman image exists "$BASE_ALIAS" || podman tag "$BASE_IMAGE" "$BASE_ALIAS"

# Podman itself must work here; say so plainly when it does not (no user namespaces, no cgroups,
# no overlay...) instead of skipping.
if ! podman run --rm --network none "$BASE_IMAGE" true >"$work/probe.log" 2>&1; then
  cat "$work/probe.log" >&2
  die "podman cannot run a container on this machine (see the error above and ../shared/CONTAINERS.md)"
fi

# ---- image -----------------------------------------------------------------------------------
if [[ "${SMOKE_SKIP_BUILD:-0}" == 1 ]] && podman image exists "$IMAGE"; then
  log "SMOKE_SKIP_BUILD=1: using the existing $IMAGE"
else
  log "building $IMAGE from docker/Dockerfile"
  build_started=$SECONDS
  podman build --format docker -f "$source_dir/docker/Dockerfile" -t "$IMAGE" "$source_dir" \
    >"$work/build.log" 2>&1 || { tail -n 60 "$work/build.log" >&2; die "podman build failed"; }
  log "image built in $((SECONDS - build_started)) s"
fi
[[ "$(podman image inspect -f '{{.Config.User}}' "$IMAGE")" != "" ]] || die "the image runs as root"
podman image inspect -f '{{.Config.Healthcheck}}' "$IMAGE" | grep -q healthz ||
  die "the image has no HEALTHCHECK on /healthz (built without --format docker?)"

# ---- fake world --------------------------------------------------------------------------------
"$fake_world" --symbols "$SYMBOLS" --ports-file "$work/ports.json" >"$work/fake_world.log" 2>&1 &
fake_world_pid=$!
for _ in $(seq 300); do
  [[ -s "$work/ports.json" ]] && break
  kill -0 "$fake_world_pid" 2>/dev/null || die "fake_world exited: $(cat "$work/fake_world.log")"
  sleep 0.1
done
[[ -s "$work/ports.json" ]] || die "fake_world wrote no ports file in 30 s"
json_string() { sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p" "$work/ports.json"; }
rest_url="$(json_string rest_url)"
ws_url="$(json_string ws_url)"
webhook_url="$(json_string discord_webhook_url)"
control_url="$(json_string control_url)"
[[ -n "$rest_url" && -n "$ws_url" && -n "$webhook_url" && -n "$control_url" ]] ||
  die "unexpected ports file: $(cat "$work/ports.json")"
log "fake_world (pid $fake_world_pid): rest $rest_url, ws $ws_url, control $control_url"

# A free port for /healthz: the container shares the host's network (see the compose copy).
status_port=""
for _ in $(seq 50); do
  candidate=$((20000 + RANDOM % 30000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then status_port=$candidate; break; fi
done
[[ -n "$status_port" ]] || die "no free port for the status endpoint"

# ---- configuration and compose project -------------------------------------------------------
mkdir -p "$work/compose"
# The configuration mounted into the container: the fakes' URLs, 1 s bars, a small universe. The
# webhook comes from .env through ${DISCORD_WEBHOOK_URL}, as for a real user.
cat >"$work/compose/config.yaml" <<EOF
exchange:
  market: spot
  rest_url: $rest_url
  ws_url: $ws_url
  request_timeout: 5s
universe:
  quote_assets: [USDT]
  min_quote_volume_24h: 1
  top_n: 10
  refresh_interval: 1m
streams:
  intervals: [1s]
  stale_after: 10s
signals:
  min_atr_move: 6
  min_volume_z: 3
  cooldown: 1s
alerts:
  database: \${DATABASE_PATH:-data/scanner.db}
  discord:
    webhook_urls: ["\${DISCORD_WEBHOOK_URL:-}"]
    request_timeout: 2s
status:
  listen: \${STATUS_LISTEN:-127.0.0.1:9102}
logging:
  level: info
EOF
cat >"$work/compose/.env" <<EOF
DISCORD_WEBHOOK_URL=$webhook_url
LOG_LEVEL=info
EOF

# The compose file under test, with only what cannot work here changed (each change is checked,
# so an edit of the real file that breaks it fails here instead of silently testing less):
#  - build context: the absolute source directory (the copy lives elsewhere);
#  - env_file and the configuration mount: the generated files next to the copy;
#  - network_mode host instead of published ports: the fakes listen on the host's 127.0.0.1,
#    which a container on its own network cannot reach; so STATUS_LISTEN is a free host port.
# restart, read_only, tmpfs, the named volume, logging and security options stay as they are.
compose_file="$work/compose/docker-compose.yml"
{
  echo "# Generated by tests/container/smoke_test.sh from docker/docker-compose.yml: host"
  echo "# networking to reach the fakes on 127.0.0.1, generated .env and configuration."
  sed -e "s|^\(\s*context:\s*\)\.\.\s*$|\1$source_dir|" \
    -e 's|^\(\s*env_file:\s*\)\.\./\.env\s*$|\1./.env|' \
    -e 's|^\(\s*- \)\.\./config/default\.yaml:|\1./config.yaml:|' \
    -e "s|^\(\s*STATUS_LISTEN:\s*\).*$|\1127.0.0.1:$status_port|" \
    -e 's|^\(\s*\)ports:\s*$|\1network_mode: host|' \
    -e '/^\s*- "[0-9.:]*:9102:9102"\s*$/d' \
    "$source_dir/docker/docker-compose.yml"
} >"$compose_file"
for expected in "context: $source_dir" 'env_file: ./.env' './config.yaml:/etc/momentum-scanner/config.yaml:ro' \
  "STATUS_LISTEN: 127.0.0.1:$status_port" 'network_mode: host' 'read_only: true' 'restart: unless-stopped'; do
  grep -qF -- "$expected" "$compose_file" ||
    die "docker/docker-compose.yml changed shape: no '$expected' in the smoke test's copy"
done
! grep -q ':9102:9102' "$compose_file" || die "published port left in the compose copy"

# The Docker API for docker-compose, served by podman on a socket of our own.
podman system service --time=0 "unix://$work/podman.sock" >"$work/podman-service.log" 2>&1 &
service_pid=$!
export DOCKER_HOST="unix://$work/podman.sock"
for _ in $(seq 100); do [[ -S "$work/podman.sock" ]] && break; sleep 0.1; done
[[ -S "$work/podman.sock" ]] || die "podman system service did not start: $(cat "$work/podman-service.log")"

log "starting compose project $project"
compose up -d --no-build >"$work/compose-up.log" 2>&1 ||
  { cat "$work/compose-up.log" >&2; die "compose up failed"; }
container="$(podman ps -a -q --filter "label=com.docker.compose.project=$project" | head -n1)"
[[ -n "$container" ]] || { cat "$work/compose-up.log" >&2; die "compose up started no container"; }

# ---- checks ----------------------------------------------------------------------------------
healthz_url="http://127.0.0.1:$status_port/healthz"
log "waiting for $healthz_url to answer 200"
deadline=$((SECONDS + ${SMOKE_HEALTH_TIMEOUT:-180}))
code=000
while ((SECONDS < deadline)); do
  [[ "$(podman inspect -f '{{.State.Running}}' "$container")" == true ]] ||
    die "the scanner container stopped"
  code="$(curl -s -o "$work/healthz.json" -w '%{http_code}' --max-time 5 "$healthz_url" || true)"
  [[ "$code" == 200 ]] && break
  sleep 1
done
[[ "$code" == 200 ]] ||
  die "/healthz answered $code within ${SMOKE_HEALTH_TIMEOUT:-180} s: $(cat "$work/healthz.json" 2>/dev/null)"
log "/healthz 200: $(cat "$work/healthz.json")"

# The image's own HEALTHCHECK command, run once by hand (podman schedules it with systemd timers,
# which a CI machine may not have).
podman healthcheck run "$container" >/dev/null || die "the image's HEALTHCHECK fails while /healthz is 200"
metrics_code="$(curl -s -o "$work/metrics.txt" -w '%{http_code}' --max-time 5 \
  "http://127.0.0.1:$status_port/metrics" || true)"
[[ "$metrics_code" == 200 ]] || die "/metrics answered $metrics_code"

# The scanner runs as its user with a read-only root; the database is on the named volume.
[[ "$(podman inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$container")" == true ]] ||
  die "the container's root filesystem is writable"
podman exec "$container" test -s /var/lib/scanner/scanner.db || die "no database on the volume"

# A big up move on every symbol's 1 s bar that opens three seconds from now.
open_time=$(( ($(date +%s) + 3) * 1000 ))
for symbol in ${SYMBOLS//,/ }; do
  curl -sf --max-time 5 -o /dev/null \
    "$control_url/moves/plan?symbol=$symbol&interval=1s&open_time=$open_time&direction=up" ||
    die "fake_world refused to plan a move"
done
log "planned up moves on 1 s bars opening at $open_time; waiting for an alert"
deadline=$((SECONDS + ${SMOKE_ALERT_TIMEOUT:-90}))
while ((SECONDS < deadline)); do
  curl -sf --max-time 5 -o "$work/alerts.json" "$control_url/alerts" || true
  grep -q "\"open_time\":$open_time" "$work/alerts.json" 2>/dev/null && break
  [[ "$(podman inspect -f '{{.State.Running}}' "$container")" == true ]] ||
    die "the scanner container stopped"
  sleep 1
done
grep -q "\"open_time\":$open_time" "$work/alerts.json" 2>/dev/null ||
  die "no alert for the planned moves within ${SMOKE_ALERT_TIMEOUT:-90} s; fake Discord got: $(cat "$work/alerts.json" 2>/dev/null)"
log "fake Discord received: $(cat "$work/alerts.json")"

failed=0
