#!/bin/sh
# adduser for the modus-test/busybox image: Debian's static busybox has no adduser applet.
# Same options as busybox's:
#   adduser [-D] [-H] [-S] [-h HOME] [-g GECOS] [-s SHELL] [-G GROUP] [-u UID] USER
#   adduser USER GROUP        add an existing user to an existing group
set -e
PASSWD=/etc/passwd
GROUP=/etc/group

fail() { echo "adduser: $*" >&2; exit 1; }
usage() { fail "usage: adduser [-DHS] [-h HOME] [-g GECOS] [-s SHELL] [-G GROUP] [-u UID] USER"; }
has_entry() { grep -q "^$2:" "$1"; }
field_of() { awk -F: -v name="$2" -v n="$3" '$1 == name { print $n; exit }' "$1"; }
id_in_use() { awk -F: -v id="$2" '$3 == id { found = 1 } END { exit !found }' "$1"; }

# The first id at or above $2 that no entry of $1 uses.
first_free_id() {
  id=$2
  while id_in_use "$1" "$id"; do id=$((id + 1)); done
  echo "$id"
}

add_member() {
  has_entry "$PASSWD" "$1" || fail "unknown user $1"
  has_entry "$GROUP" "$2" || fail "unknown group $2"
  awk -F: -v OFS=: -v user="$1" -v group="$2" '
    $1 == group { n = split($4, members, ","); for (i = 1; i <= n; i++) if (members[i] == user) n = -1
                  if (n >= 0) $4 = ($4 == "" ? user : $4 "," user) }
    { print }' "$GROUP" >"$GROUP.new"
  cat "$GROUP.new" >"$GROUP" && rm -f "$GROUP.new"
}

home= gecos="Linux User,,," shell=/bin/sh group= uid= create_home=1 first_id=1000
while getopts 'DHSh:g:s:G:u:k:' opt; do
  case $opt in
    D | k) ;;
    H) create_home=0 ;;
    S) first_id=100 ;;
    h) home=$OPTARG ;;
    g) gecos=$OPTARG ;;
    s) shell=$OPTARG ;;
    G) group=$OPTARG ;;
    u) uid=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] && { add_member "$1" "$2"; exit 0; }
[ $# -eq 1 ] || usage
name=$1
case $name in '' | -* | *[!A-Za-z0-9._-]*) fail "invalid user name '$name'" ;; esac
has_entry "$PASSWD" "$name" && fail "user '$name' in use"

if [ -n "$uid" ]; then
  id_in_use "$PASSWD" "$uid" && fail "uid $uid in use"
else
  uid=$(first_free_id "$PASSWD" "$first_id")
fi
if [ -n "$group" ]; then
  gid=$(field_of "$GROUP" "$group" 3)
  [ -n "$gid" ] || fail "unknown group $group"
else
  has_entry "$GROUP" "$name" && fail "group '$name' in use"
  gid=$uid
  id_in_use "$GROUP" "$gid" && gid=$(first_free_id "$GROUP" "$first_id")
  echo "$name:x:$gid:" >>"$GROUP"
fi
home=${home:-/home/$name}
echo "$name:x:$uid:$gid:$gecos:$home:$shell" >>"$PASSWD"
[ -f /etc/shadow ] && echo "$name:!:0:0:99999:7:::" >>/etc/shadow
if [ "$create_home" = 1 ] && [ ! -e "$home" ]; then
  mkdir -p "$home"
  chown "$uid:$gid" "$home"
  chmod 755 "$home"
fi
exit 0
