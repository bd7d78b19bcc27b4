#!/usr/bin/env bash
# Builds the two local base images nothing can pull on an offline machine:
#   modus-test/busybox:1  a small shell image (static busybox) that tests build FROM
#   modus-node-base:20    the machine's own node, the base of the frontend image
# Both are made FROM scratch by importing a root file system assembled here. An image is rebuilt
# only when it is missing or the checksum of its inputs (the files copied in and this recipe)
# differs from the one in its label, so a second run takes about a second.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

BUSYBOX_IMAGE="${MODUS_BUSYBOX_IMAGE:-modus-test/busybox:1}"
NODE_BASE_IMAGE="${MODUS_NODE_BASE_IMAGE:-modus-node-base:20}"
SHELL_BINARY="$(readlink -f /bin/dash 2>/dev/null || echo /bin/dash)"
INPUTS_LABEL="dev.modus.base-image.inputs"
FULL_PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/modus-base-images.XXXXXX")"
trap 'rm -rf "$WORK_DIR"' EXIT

write_accounts() {
  local root="$1"
  mkdir -p "$root/etc" "$root/root" "$root/tmp" "$root/home"
  chmod 700 "$root/root"
  chmod 1777 "$root/tmp"
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' \
    >"$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$root/etc/group"
}

# Debian's static busybox lacks these applets; small scripts of ours stand in for them.
USER_TOOLS=(scripts/busybox-adduser.sh scripts/busybox-addgroup.sh)

# /bin/busybox plus one symlink per applet at the applet's usual path (/bin/sh, /usr/bin/env, ...).
busybox_rootfs() {
  local root="$1" binary="$2" applet
  mkdir -p "$root/bin" "$root/usr/sbin"
  cp -L "$binary" "$root/bin/busybox"
  while read -r applet; do
    [[ -z "$applet" || "$applet" == "bin/busybox" ]] && continue
    mkdir -p "$root/$(dirname "$applet")"
    ln -sf /bin/busybox "$root/$applet"
  done < <("$binary" --list-full)
  install -m 755 scripts/busybox-adduser.sh "$root/usr/sbin/adduser"
  install -m 755 scripts/busybox-addgroup.sh "$root/usr/sbin/addgroup"
  write_accounts "$root"
}

# The node binary where the public Node images have it, the shared libraries it links and the
# dynamic loader, each at the path ldd reports (so the loader finds them without a cache).
node_libraries() {
  ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u
}

# /bin/sh (dash) too: the frontend image's entrypoint is a one-line shell script (see Dockerfile).
node_rootfs() {
  local root="$1" binary="$2" library
  mkdir -p "$root/usr/local/bin" "$root/bin"
  cp -L "$binary" "$root/usr/local/bin/node"
  cp -L "$SHELL_BINARY" "$root/bin/sh"
  while read -r library; do
    cp -L --parents "$library" "$root/"
  done < <({ node_libraries "$binary"; node_libraries "$SHELL_BINARY"; } | sort -u)
  write_accounts "$root"
}

inputs_checksum() {
  local recipe="$1"
  shift
  { printf '%s\n' "$recipe"; sha256sum "$@"; } | sha256sum | cut -d' ' -f1
}

current_inputs() {
  "$DOCKER" image inspect -f "{{ index .Config.Labels \"$INPUTS_LABEL\" }}" "$1" 2>/dev/null || true
}

# import_image NAME ROOTFS CHECKSUM [DOCKERFILE-INSTRUCTION...]
import_image() {
  local name="$1" root="$2" checksum="$3" old_id
  shift 3
  local changes=(--change "LABEL $INPUTS_LABEL=$checksum") instruction
  for instruction in "$@"; do changes+=(--change "$instruction"); done
  old_id="$("$DOCKER" image inspect -f '{{.Id}}' "$name" 2>/dev/null || true)"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$root" -cf - . |
    "$DOCKER" import "${changes[@]}" - "$name" >/dev/null
  # The replaced image is now untagged; drop it unless a container still uses it.
  [[ -n "$old_id" ]] && "$DOCKER" image rm "$old_id" >/dev/null 2>&1 || true
  echo "build-base-images: built $name"
}

build_busybox_image() {
  local binary
  binary="$(readlink -f /bin/busybox 2>/dev/null || true)"
  [[ -x "$binary" ]] || fail "/bin/busybox not found (install busybox-static: scripts/setup-machine.sh)"
  "$binary" --list-full >/dev/null 2>&1 || fail "$binary is not a busybox with --list-full"
  local recipe checksum
  recipe="$(declare -f busybox_rootfs write_accounts; echo "$FULL_PATH")"
  checksum="$(inputs_checksum "$recipe" "$binary" "${USER_TOOLS[@]}")"
  [[ "$(current_inputs "$BUSYBOX_IMAGE")" == "$checksum" ]] && return 0
  local root="$WORK_DIR/busybox"
  busybox_rootfs "$root" "$binary"
  import_image "$BUSYBOX_IMAGE" "$root" "$checksum" "ENV PATH=$FULL_PATH" 'CMD ["/bin/sh"]'
}

build_node_base_image() {
  local binary
  binary="$(readlink -f "$(command -v node)" 2>/dev/null || true)"
  [[ -x "$binary" ]] || fail "node not found"
  [[ -x "$SHELL_BINARY" ]] || fail "$SHELL_BINARY not found (Debian's dash package)"
  local recipe checksum libraries
  mapfile -t libraries < <(node_libraries "$binary")
  ((${#libraries[@]} > 0)) || fail "ldd lists no libraries for $binary"
  recipe="$(declare -f node_rootfs node_libraries write_accounts; echo "$FULL_PATH")"
  checksum="$(inputs_checksum "$recipe" "$binary" "$SHELL_BINARY" "${libraries[@]}")"
  [[ "$(current_inputs "$NODE_BASE_IMAGE")" == "$checksum" ]] && return 0
  local root="$WORK_DIR/node"
  node_rootfs "$root" "$binary"
  import_image "$NODE_BASE_IMAGE" "$root" "$checksum" "ENV PATH=$FULL_PATH" \
    'CMD ["/usr/local/bin/node"]'
}

docker_answers || fail "no docker daemon answers '$DOCKER info' (run scripts/setup-machine.sh)"
build_busybox_image
build_node_base_image
