#!/usr/bin/env bash
# Build-time cache mounts: the second build of a package-manager-like step whose input changed,
# with a warm ::mount_cache against the same step without it, side by side in one run.
#
#   bench/mounts/run.sh [--reps N] [--packages N] [--frontend IMAGE]
#
# The step "installs" N packages: each one is fetched into the cache directory unless it is
# there (a fetch is 64 KiB of random bytes and their checksum), then every package is unpacked
# into /app. A changed build arg (the lockfile's version) makes the step run again each time.
set -euo pipefail
reps=5
packages=400
frontend=${MODUS_FRONTEND_IMAGE:-modus-frontend:dev}
docker=${MODUS_DOCKER:-/usr/bin/docker}
base=${MODUS_BENCH_BASE:-modus-test/busybox:1}
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps=$2; shift 2 ;;
    --packages) packages=$2; shift 2 ;;
    --frontend) frontend=$2; shift 2 ;;
    *) echo "usage: $0 [--reps N] [--packages N] [--frontend IMAGE]" >&2; exit 2 ;;
  esac
done

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
id="modus-bench-mounts-$$-$RANDOM"
install='mkdir -p /cache /app && for i in $(seq 1 '"$packages"'); do p=/cache/pkg-$i; if [ ! -f $p.sum ]; then dd if=/dev/urandom of=$p bs=64k count=1 2>/dev/null && sha256sum $p > $p.sum; fi; cp $p /app/; done'
cat > "$dir/Modusfile" <<MODUS
warm(V) :- from("$base"), run(f"echo \${V} > /lock")::cache_key(V), run("$install")::cache_key(V)::mount_cache("/cache", "$id").
cold(V) :- from("$base"), run(f"echo \${V} > /lock")::cache_key(V), run("$install")::cache_key(V)::in_env("CACHE", "none").
MODUS

build() { # TARGET → seconds
  local start end
  start=$(date +%s.%N)
  DOCKER_BUILDKIT=1 "$docker" build -q --network=none -f "$dir/Modusfile" --build-arg "BUILDKIT_SYNTAX=$frontend" --target "$1" "$dir" > /dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

build 'warm("0")' > /dev/null   # fills the cache mount
build 'cold("0")' > /dev/null
warm_times=(); cold_times=()
for r in $(seq 1 "$reps"); do
  warm_times+=("$(build "warm(\"$r-$RANDOM\")")")
  cold_times+=("$(build "cold(\"$r-$RANDOM\")")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
w=$(median "${warm_times[@]}"); c=$(median "${cold_times[@]}")
echo "packages=$packages reps=$reps"
echo "warm cache mount: median ${w}s (${warm_times[*]})"
echo "no mount:         median ${c}s (${cold_times[*]})"
echo "ratio no-mount / warm-mount: $(echo "scale=2; $c / $w" | bc)"
