#!/usr/bin/env bash
# Set up, build and run nmscds on a Debian 12 machine.
#
#   tools/dev.sh example   install what is needed, build, assess the bundled example (text report)
#   tools/dev.sh test      install what is needed, build (warnings are errors), run every test
#   tools/dev.sh bench     install what is needed, build, run the benchmarks
#   tools/dev.sh load      install what is needed, build, load-test `serve` with wrk (bench/load/run.sh, ~2.5 min)
#   tools/dev.sh build     install what is needed and build only
#   tools/dev.sh pgo       train the profile-guided optimisation again, then rebuild (after large changes)
#
# Debian packages are installed with apt-get when missing (as root, or through sudo). The build goes to
# build/ (Release), optimised with a profile of a training run (profile-guided optimisation, README
# "Performance"): the first build also builds an instrumented CLI and trains it (build/pgo-train, about
# three minutes more). NMSCDS_PGO=off builds without it. Tests need the shared specification and data
# folder next to the repository (../shared); the browser test of the bedside page (tests/web) also needs
# Chromium, Node.js and `npm ci` in tests/web.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${NMSCDS_BUILD_DIR:-$ROOT/build}"

PACKAGES=(
  g++ cmake ninja-build pkgconf
  nlohmann-json3-dev libsimdjson-dev libcli11-dev libfmt-dev libssl-dev libmimalloc-dev libxxhash-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-jsonschema
  libcpp-httplib-dev libsqlite3-dev wrk curl python3-cryptography
  ca-certificates chromium
)
# Node.js and npm for the browser test of the bedside page (tests/web): Debian's packages when no node and npm are
# installed (a machine with another Node.js distribution, whose package conflicts with Debian's npm, keeps its own).
NODE_PACKAGES=(nodejs npm)

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    missing+=("${NODE_PACKAGES[@]}")
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Debian packages: ${missing[*]}" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# playwright-core for tests/web, exactly as package-lock.json pins it; skipped when node_modules already matches it
# (npm records the installed tree in node_modules/.package-lock.json).
install_web_test_packages() {
  local dir="$ROOT/tests/web"
  if [ -f "$dir/node_modules/.package-lock.json" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
    return 0
  fi
  echo "Installing the browser test's npm packages (npm ci in tests/web)" >&2
  # Debian's npm trusts only Node's built-in certificate list; unless the environment chose one, use the
  # system's (ca-certificates, plus any local authority of the site, as apt-get and curl do).
  local ca=()
  if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    local configured
    configured="$(cd "$dir" && npm config get cafile 2>/dev/null || true)"
    if [ -z "$configured" ] || [ "$configured" = "null" ] || [ "$configured" = "undefined" ]; then
      ca=(--cafile=/etc/ssl/certs/ca-certificates.crt)
    fi
  fi
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error "${ca[@]}")
}

# The training run of profile-guided optimisation: an instrumented CLI (build/pgo-train, CLI only) screens a
# generated cohort (another seed and T0 than the benchmark's cohort) and the real Synthea export when present,
# and assesses the bundled examples and the conformance scenarios; its profile goes to build/pgo-profile.
# Real data belong in it: trained on the generated cohort alone, the screen of the Synthea export was 16 %
# slower than without a profile (its skipped types and old vital signs were cold code).
PROFILE="$BUILD/pgo-profile"
train_profile() {
  local train="$BUILD/pgo-train" work
  echo "Training the profile-guided optimisation ($train)" >&2
  rm -rf "$PROFILE"
  cmake -S "$ROOT" -B "$train" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNMSCDS_BUILD_TESTS=OFF -DNMSCDS_BUILD_BENCH=OFF \
    -DNMSCDS_PGO_USE= -DNMSCDS_PGO_GENERATE="$PROFILE" >/dev/null
  cmake --build "$train" --target nmscds
  work="$(mktemp -d)"
  python3 "$ROOT/tools/synth_cohort.py" --out "$work/cohort" --patients 20000 --seed 7 --at 2026-06-01T08:00:00Z \
    --files-per-type 2 >/dev/null
  "$train/nmscds" screen --threads 2 --at 2026-06-01T08:00:00Z "$work/cohort" >/dev/null
  rm -rf "$work"
  local synthea="$ROOT/../shared/data/synthea-bulk"
  if [ -d "$synthea" ]; then "$train/nmscds" screen --threads 2 --at 2026-11-20T14:00:00Z "$synthea" >/dev/null; fi
  for f in "$ROOT"/examples/*.json "$ROOT"/../shared/spec/scenarios/S*.json; do
    if [ -f "$f" ]; then "$train/nmscds" assess "$f" >/dev/null; fi
  done
  touch "$PROFILE/trained"  # a training cut short leaves no mark, and is run again
}

build() {
  local pgo=(-DNMSCDS_PGO_USE=)
  if [ "${NMSCDS_PGO:-on}" != "off" ]; then
    [ -f "$PROFILE/trained" ] || train_profile
    pgo=(-DNMSCDS_PGO_USE="$PROFILE")
  fi
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNMSCDS_WERROR=ON "${pgo[@]}" >/dev/null
  cmake --build "$BUILD" "$@"
}

case "${1:-}" in
  example)
    install_packages
    build
    "$BUILD/nmscds" assess --format text "$ROOT/examples/case-fn-polypharmacy.json"
    ;;
  test)
    install_packages
    build
    if [ ! -d "$ROOT/../shared/spec" ]; then
      echo "tests need the shared specification folder at $ROOT/../shared" >&2
      exit 1
    fi
    install_web_test_packages
    "$BUILD/nmscds" kb verify
    ctest --test-dir "$BUILD" --output-on-failure -j "$(nproc)"
    ;;
  bench)
    install_packages
    build
    "$BUILD/bench/nmscds_bench" --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
    "$BUILD/bench/nmscds_service_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
    "$BUILD/bench/nmscds_common_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
    # Set NMSCDS_BENCH_COHORT to a generated cohort directory to add it (README "Performance").
    "$BUILD/bench/nmscds_screen_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
    ;;
  load)
    install_packages
    build
    "$ROOT/bench/load/run.sh" "$BUILD"
    ;;
  build)
    install_packages
    build
    ;;
  pgo)
    install_packages
    train_profile
    build --clean-first  # the objects depend on the profile, which the build does not track
    ;;
  *)
    echo "usage: tools/dev.sh example|test|bench|load|build|pgo" >&2
    exit 2
    ;;
esac
