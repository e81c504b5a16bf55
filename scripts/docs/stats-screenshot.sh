#!/usr/bin/env bash
# Redoes docs/stats-page.png: the stats page (issue #5) of a running tandemd, in headless Chromium (Debian's
# `chromium`). Starts three loopback HTTP backends, tandemd with a demo configuration (the seed's stats block plus
# a frontend and a backend), sends some traffic, drains one server on the admin socket so every row colour shows,
# then takes the screenshot with the seed's credentials in the URL. Everything stays on 127.0.0.1.
#
#   bash scripts/docs/stats-screenshot.sh [output.png]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../env.sh"
cd "$TANDEM_ROOT"
tandem_ensure_runtime >/dev/null
tandem_ensure_apt chromium socat || true
OUT="${1:-docs/stats-page.png}"
[ -f apps/tandemd/dist/src/main.js ] || { tandem_ensure_install; tandem_build; }

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
STATS_PORT="$(free_port)"
WEB_PORT="$(free_port)"

# Three backends answering with their name (web03 answers slowly, so the latency table has a spread).
cat > "$WORK/backends.mjs" <<'JS'
import { createServer } from 'node:http';
const ports = [];
for (const [name, delay] of [['web01', 2], ['web02', 5], ['web03', 40]]) {
  const server = createServer((req, res) => setTimeout(() => res.end(`${name}\n`), delay));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  ports.push(server.address().port);
}
console.log(ports.join(' '));
JS
node "$WORK/backends.mjs" > "$WORK/ports" &
PIDS+=($!)
for _ in $(seq 50); do [ -s "$WORK/ports" ] && break; sleep 0.1; done
read -r P1 P2 P3 < "$WORK/ports"

cat > "$WORK/tandem.cfg" <<CFG
global
    stats socket $WORK/admin.sock level admin
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen stats
    bind 127.0.0.1:$STATS_PORT
    stats enable
    stats uri /haproxy?stats
    stats realm HAProxy\ Statistics
    stats auth infrarunbook-admin:S3cur3P@ssw0rd!
    stats refresh 5s
    stats show-node
    stats show-legends
    stats hide-version
    stats admin if LOCALHOST
frontend web
    bind 127.0.0.1:$WEB_PORT
    http-request use-service prometheus-exporter if { path /metrics }
    default_backend web_servers
backend web_servers
    balance roundrobin
    server web01 127.0.0.1:$P1 check inter 1s
    server web02 127.0.0.1:$P2 check inter 1s
    server web03 127.0.0.1:$P3 check inter 1s weight 2
    server web04 127.0.0.1:1 check inter 1s
    server spare 127.0.0.1:$P1 backup
CFG

node apps/tandemd/dist/src/main.js -f "$WORK/tandem.cfg" --state-db "$WORK/state.db" -S "$WORK/master.sock" > "$WORK/tandemd.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do grep -q 'tandemd ready' "$WORK/tandemd.log" && break; sleep 0.1; done
grep -q 'tandemd ready' "$WORK/tandemd.log" || { cat "$WORK/tandemd.log"; exit 1; }

for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$WEB_PORT/" || true; done
echo 'set server web_servers/web02 state drain' | socat stdio "unix-connect:$WORK/admin.sock" >/dev/null
sleep 2.5   # web04 (nothing listens) is marked DOWN by its checks

chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,900 \
  --screenshot="$TANDEM_ROOT/$OUT" "http://infrarunbook-admin:S3cur3P%40ssw0rd!@127.0.0.1:$STATS_PORT/haproxy?stats;norefresh" 2>"$WORK/chromium.log" \
  || { cat "$WORK/chromium.log"; exit 1; }
echo "wrote $OUT"
