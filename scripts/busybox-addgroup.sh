#!/bin/sh
# addgroup for the modus-test/busybox image: Debian's static busybox has no addgroup applet.
#   addgroup [-S] [-g GID] GROUP
#   addgroup USER GROUP       add an existing user to an existing group (same as adduser USER GROUP)
set -e
GROUP=/etc/group

fail() { echo "addgroup: $*" >&2; exit 1; }
id_in_use() { awk -F: -v id="$1" '$3 == id { found = 1 } END { exit !found }' "$GROUP"; }

gid= first_id=1000
while getopts 'Sg:' opt; do
  case $opt in
    S) first_id=100 ;;
    g) gid=$OPTARG ;;
    *) fail "usage: addgroup [-S] [-g GID] GROUP | addgroup USER GROUP" ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] && exec adduser "$1" "$2"
[ $# -eq 1 ] || fail "usage: addgroup [-S] [-g GID] GROUP | addgroup USER GROUP"
name=$1
case $name in '' | -* | *[!A-Za-z0-9._-]*) fail "invalid group name '$name'" ;; esac
grep -q "^$name:" "$GROUP" && fail "group '$name' in use"
if [ -n "$gid" ]; then
  id_in_use "$gid" && fail "gid $gid in use"
else
  gid=$first_id
  while id_in_use "$gid"; do gid=$((gid + 1)); done
fi
echo "$name:x:$gid:" >>"$GROUP"
