#!/usr/bin/env bash
# The failover lab: network namespaces on one bridge, addresses in 198.18.0.0/15 (RFC 2544 benchmarking range),
# and no route out of the lab.
#
#   lab.sh up   [prefix]   create: <prefix>-client, <prefix>-lb1, <prefix>-lb2, <prefix>-be1..3 on bridge <prefix>-br
#   lab.sh down [prefix]   delete everything `up` created (only names with this prefix)
#   lab.sh show [prefix]   addresses and neighbour tables
#
# Hosts (prefix "tl" by default):
#   client 198.18.0.2    lb1 198.18.0.11    lb2 198.18.0.12    be1..3 198.18.0.21..23    VIP 198.18.0.100
# The bridge lives in its own namespace (<prefix>-sw), so nothing in the lab touches the host's interfaces.
# MAC addresses are fixed (02:00:c6:12:00:<last octet>) so captures are comparable with keepalived's.
set -euo pipefail
cmd="${1:-}"
p="${2:-tl}"
sw="$p-sw"
hosts=(client:2 lb1:11 lb2:12 be1:21 be2:22 be3:23)

need_root() { [ "$(id -u)" = 0 ] || { echo "lab.sh: needs root (network namespaces)" >&2; exit 2; }; }

up() {
  need_root
  ip netns add "$sw"
  ip -n "$sw" link add br0 type bridge
  ip -n "$sw" link set br0 up
  ip -n "$sw" link set lo up
  for h in "${hosts[@]}"; do
    name="${h%%:*}"; octet="${h##*:}"; ns="$p-$name"
    ip netns add "$ns"
    ip link add "veth-$p-$name" type veth peer name eth0 netns "$ns"
    ip link set "veth-$p-$name" netns "$sw"
    ip -n "$sw" link set "veth-$p-$name" master br0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 address "$(printf '02:00:c6:12:00:%02x' "$octet")"
    ip -n "$ns" addr add "198.18.0.$octet/24" dev eth0
    ip -n "$ns" link set eth0 up
    # Accept the gratuitous ARPs a new master sends, as a real client's kernel would when it already knows the VIP.
    ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.arp_accept=1 net.ipv4.conf.eth0.arp_accept=1
    ip netns exec "$ns" sysctl -qw net.ipv4.ip_nonlocal_bind=1
  done
  echo "lab $p up: client 198.18.0.2, lb1 198.18.0.11, lb2 198.18.0.12, be1..3 198.18.0.21-23, VIP 198.18.0.100"
}

down() {
  need_root
  for h in "${hosts[@]}"; do
    ns="$p-${h%%:*}"
    { ip netns pids "$ns" 2>/dev/null || true; } | while read -r pid; do kill -TERM "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  ip netns del "$sw" 2>/dev/null || true
}

show() {
  for h in "${hosts[@]}"; do
    ns="$p-${h%%:*}"
    echo "== $ns"; ip -n "$ns" -br addr show dev eth0; ip -n "$ns" neigh show dev eth0
  done
}

case "$cmd" in
  up) up ;;
  down) down ;;
  show) show ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
