#!/usr/bin/env bash
# Starts a local image registry (Debian's docker-registry) on 127.0.0.1:5000 unless one answers.
# dockerd allows plain HTTP to 127.0.0.0/8 registries, so push and pull work without TLS.
# Our own configuration: the package's default one asks for htpasswd authentication.
#
# Environment:
#   MODUS_REGISTRY_ADDR  host:port to serve on (default 127.0.0.1:5000)
#   MODUS_REGISTRY_DIR   configuration, storage and log (default /var/lib/modus-registry)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ADDR="${MODUS_REGISTRY_ADDR:-127.0.0.1:5000}"
DIR="${MODUS_REGISTRY_DIR:-/var/lib/modus-registry}"
TIMEOUT=30

# node is always there (busybox's static wget crashes on some hosts, curl may be missing).
registry_answers() {
  node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
    .then((response) => process.exit(response.ok ? 0 : 1), () => process.exit(1))' "http://$ADDR/v2/"
}

registry_answers && exit 0
command -v docker-registry >/dev/null || fail "docker-registry not found (run scripts/setup-machine.sh)"

mkdir -p "$DIR/data"
cat >"$DIR/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $DIR/data
  delete:
    enabled: true
http:
  addr: $ADDR
EOF

setsid docker-registry serve "$DIR/config.yml" >>"$DIR/registry.log" 2>&1 </dev/null &
pid=$!
wait_for "$TIMEOUT" "$DIR/registry.log" "$pid" "docker-registry on http://$ADDR/v2/" registry_answers
say "serving on $ADDR (pid $pid, log: $DIR/registry.log)"
