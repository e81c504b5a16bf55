#!/usr/bin/env bash
# Tandem vs HAProxy, side by side in one run, on loopback. Prints a markdown table with each figure as a ratio
# to HAProxy and writes it to bench-results/latest.md.
#
#   npm run bench -- [--duration S] [--rounds N] [--round-duration S] [--only http|tcp|policy] [--quick]
#
# The "policy" variant is mode http with the seed's block 06 ACL routing (use_backend on path_beg, the repeated
# is_admin ACL) and block 08's rate limit (stick table, track-sc0 src, deny 429) active, its limit set too high to
# trigger; it is reported next to plain round robin (the http rows) as tandemd policy / tandemd plain. The two
# keep-alive figures are measured in paired rounds (plain and policy back to back on the same warm process, the
# order alternating between rounds) before any connection-per-request run, and reported as medians, so neither
# variant pays for the other's position in the run (idle pools, heap growth, machine drift).
#
# Layout on this 2-core machine: the proxy under test runs alone on core 1 (HAProxy with nbthread 1; tandemd's
# single data-plane thread); wrk and the backend (nginx-light, one worker) share core 0. Each measurement is
# bounded (wrk -d). Everything listens on 127.0.0.1 and every process started here is stopped by PID.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../env.sh"
cd "$TANDEM_ROOT"

duration=8
# Paired rounds: many short runs beat this machine's drift (±30% between runs of the same thing) better than a few
# long ones; the median of 9 per-round ratios is stable to a few percent where single runs swung from 0.76 to 1.09.
rounds=9
round_duration=3
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --round-duration) round_duration="$2"; shift 2 ;;
    --quick) duration=2; rounds=1; round_duration=2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

tandem_ensure_apt haproxy wrk nginx-light
tandem_ensure_install
tandem_build

work="$(mktemp -d /tmp/tandem-bench.XXXXXX)"
chmod 755 "$work" # nginx's worker runs as nobody and must read the bodies
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

BACKEND=19101
head -c 100 /dev/zero | tr '\0' 'a' > "$work/small"
head -c 1048576 /dev/zero | tr '\0' 'b' > "$work/large"
cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 60s;
  server { listen 127.0.0.1:$BACKEND backlog=4096; root $work; location / { } }
}
NGINX
taskset -c 0 /usr/sbin/nginx -c "$work/nginx.conf" -p "$work" & pids+=($!)

# Equivalent configurations: the same text serves both proxies (HAProxy syntax), ports differ.
proxy_config() { # $1 = http port, $2 = tcp port, $3 = policy port
  cat <<CFG
global
    maxconn 4000
    nbthread 1
defaults
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe_http
    mode http
    bind 127.0.0.1:$1
    default_backend be_http
frontend fe_tcp
    mode tcp
    bind 127.0.0.1:$2
    default_backend be_tcp
backend be_http
    mode http
    balance roundrobin
    server s1 127.0.0.1:$BACKEND
backend be_tcp
    mode tcp
    balance roundrobin
    server s1 127.0.0.1:$BACKEND
frontend fe_policy
    mode http
    bind 127.0.0.1:$3
    stick-table type ip size 200k expire 60s store http_req_rate(10s)
    http-request track-sc0 src
    http-request deny deny_status 429 if { sc_http_req_rate(0) gt 1000000000 }
    acl is_api path_beg /api/
    acl is_static path_beg /static/ /assets/ /images/
    acl is_admin path_beg /admin
    acl is_admin src 10.10.0.0/16
    use_backend api_cluster if is_api
    use_backend cdn_origin if is_static
    use_backend admin_backend if is_admin
    default_backend web_servers
CFG
  for be in api_cluster cdn_origin admin_backend web_servers; do
    printf 'backend %s\n    mode http\n    balance roundrobin\n    server s1 127.0.0.1:%s\n' "$be" "$BACKEND"
  done
}
proxy_config 19111 19112 19113 > "$work/haproxy.cfg"
proxy_config 19121 19122 19123 > "$work/tandem.cfg"
taskset -c 1 /usr/sbin/haproxy -f "$work/haproxy.cfg" -db > "$work/haproxy.log" 2>&1 & hap=$!; pids+=($hap)
taskset -c 1 ${TANDEMD_CMD:-node apps/tandemd/dist/src/main.js} -f "$work/tandem.cfg" --state-db "$work/state.db" -S "$work/master.sock" > "$work/tandemd.log" 2>&1 & tan=$!; pids+=($tan)
for port in $BACKEND 19111 19112 19113 19121 19122 19123; do
  for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
done

# Every figure is meaningless if a proxy answers an error: check each path returns 200 with the right size first.
for port in $BACKEND 19111 19112 19113 19121 19122 19123; do
  for path in small large; do
    got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$port/$path")
    want="200 $(stat -c %s "$work/$path")"
    [ "$got" = "$want" ] || { echo "bench: 127.0.0.1:$port/$path answered '$got', expected '$want'" >&2; exit 1; }
  done
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# measure <pid> <label> <wrk args...>: prints "req_s p50_ms p99_ms mb_s cpu_pct rss_mib"
measure() {
  local pid=$1; shift
  local t0 c0 out t1 c1
  t0=$(date +%s%N); c0=$(cpu_ticks "$pid")
  out=$(taskset -c 0 wrk -t1 -d"${measure_duration:-$duration}s" --latency "$@" 2>&1)
  t1=$(date +%s%N); c1=$(cpu_ticks "$pid")
  node scripts/bench/parse-wrk.mjs "$out" "$(( (c1 - c0) ))" "$(( (t1 - t0) / 1000000 ))" "$(getconf CLK_TCK)" "$(rss_kib "$pid")"
}

# Warm both up (JIT, pools), plain and policy frontends, before measuring.
for port in 19111 19113 19121 19123; do taskset -c 0 wrk -t1 -c50 -d1s "http://127.0.0.1:$port/small" > /dev/null; done

declare -A R
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else { m = (v[NR / 2] + v[NR / 2 + 1]) / 2; if (m >= 100) printf "%.0f\n", m; else printf "%.3f\n", m } }'; }
# median_row "<line> <line> ...": the per-field median of several parse-wrk lines (fields are independent medians).
median_row() {
  local lines=("$@") out="" f
  for f in 1 2 3 4 5 6; do out+="$(for l in "${lines[@]}"; do echo "$l" | awk -v f=$f '{print $f}'; done | tr '\n' ' ' | median) "; done
  echo "${out% }"
}

# Plain (http) and policy, in paired rounds: same process, back to back, order alternating. $1 = ka (keep-alive) or
# conn (a new connection per request); the wrk arguments follow.
declare -A RUNS RATIOS
paired_rounds() {
  local kind=$1; shift
  local who port_plain port_policy pid r measure_duration=$round_duration
  for who in haproxy tandem; do
    if [ $who = haproxy ]; then port_plain=19111; port_policy=19113; pid=$hap; else port_plain=19121; port_policy=19123; pid=$tan; fi
    for r in $(seq 1 "$rounds"); do
      local plain policy
      if [ $((r % 2)) = 1 ]; then
        plain=$(measure "$pid" "$@" "http://127.0.0.1:$port_plain/small")
        [ "$only" = http ] || policy=$(measure "$pid" "$@" "http://127.0.0.1:$port_policy/small")
      else
        [ "$only" = http ] || policy=$(measure "$pid" "$@" "http://127.0.0.1:$port_policy/small")
        plain=$(measure "$pid" "$@" "http://127.0.0.1:$port_plain/small")
      fi
      RUNS[http,$who,$kind]+="$plain;"
      [ "$only" = http ] && continue
      RUNS[policy,$who,$kind]+="$policy;"
      RATIOS[$who,$kind]+="$(awk -v a="${policy%% *}" -v b="${plain%% *}" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print 0 }') "
    done
    IFS=';' read -r -a lines <<< "${RUNS[http,$who,$kind]}"; R[http,$who,$kind]=$(median_row "${lines[@]}")
    if [ "$only" != http ]; then IFS=';' read -r -a lines <<< "${RUNS[policy,$who,$kind]}"; R[policy,$who,$kind]=$(median_row "${lines[@]}"); fi
  done
}
[ "$only" = tcp ] || paired_rounds ka -c50

run_mode() { # $1 mode, $2 haproxy port, $3 tandem port
  local mode=$1
  for who in haproxy tandem; do
    local port pid
    if [ $who = haproxy ]; then port=$2; pid=$hap; else port=$3; pid=$tan; fi
    [ "$mode" = http ] || R[$mode,$who,ka]=$(measure "$pid" -c50 "http://127.0.0.1:$port/small")
    R[$mode,$who,big]=$(measure "$pid" -c10 "http://127.0.0.1:$port/large")
    [ "$mode" = http ] || R[$mode,$who,conn]=$(measure "$pid" -c50 -H 'Connection: close' "http://127.0.0.1:$port/small")
  done
}
[ "$only" = tcp ] || [ "$only" = policy ] || run_mode http 19111 19121
[ "$only" = http ] || [ "$only" = policy ] || run_mode tcp 19112 19122
# New connections per second, plain and policy, paired the same way (after the http and tcp runs: they grow the
# idle pools and the heap for both variants alike).
[ "$only" = tcp ] || paired_rounds conn -c50 -H 'Connection: close'

field() { echo "${R[$1]:-}" | awk -v f="$2" '{print $f}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
{
  echo "Benchmark, $(date -u +%Y-%m-%d), $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), wrk ${duration}s per figure."
  echo "Proxy on core 1 alone; wrk and the nginx-light backend share core 0. Ratio = tandemd / HAProxy 2.6 (1 thread); for latency, CPU and RSS lower is better."
  echo
  echo "| mode | figure | HAProxy | tandemd | ratio |"
  echo "|---|---|---|---|---|"
  for mode in http tcp; do
    [ -n "${R[$mode,haproxy,ka]:-}" ] || continue
    row() { [ -n "$2$3" ] || return 0; echo "| $mode | $1 | $2 | $3 | $(ratio "$3" "$2") |"; }
    row "req/s, keep-alive, 100 B body" "$(field "$mode,haproxy,ka" 1)" "$(field "$mode,tandem,ka" 1)"
    row "p50 latency (ms)" "$(field "$mode,haproxy,ka" 2)" "$(field "$mode,tandem,ka" 2)"
    row "p99 latency (ms)" "$(field "$mode,haproxy,ka" 3)" "$(field "$mode,tandem,ka" 3)"
    row "MB/s, 1 MiB body" "$(field "$mode,haproxy,big" 4)" "$(field "$mode,tandem,big" 4)"
    row "new connections/s" "$(field "$mode,haproxy,conn" 1)" "$(field "$mode,tandem,conn" 1)"
    row "proxy CPU % (keep-alive run)" "$(field "$mode,haproxy,ka" 5)" "$(field "$mode,tandem,ka" 5)"
    row "proxy RSS (MiB, after the runs)" "$(field "$mode,haproxy,conn" 6)" "$(field "$mode,tandem,conn" 6)"
  done
  if [ -n "${R[policy,haproxy,ka]:-}" ]; then
    prow() { echo "| http + policy (seed 06 ACLs, seed 08 rate limit) | $1 | $2 | $3 | $(ratio "$3" "$2") |"; }
    prow "req/s, keep-alive, 100 B body" "$(field policy,haproxy,ka 1)" "$(field policy,tandem,ka 1)"
    prow "p99 latency (ms)" "$(field policy,haproxy,ka 3)" "$(field policy,tandem,ka 3)"
    prow "new connections/s" "$(field policy,haproxy,conn 1)" "$(field policy,tandem,conn 1)"
    prow "proxy CPU % (keep-alive run)" "$(field policy,haproxy,ka 5)" "$(field policy,tandem,ka 5)"
    if [ -n "${R[http,tandem,ka]:-}" ]; then
      echo
      echo "Policy vs plain round robin (same proxy, mode http, medians of $rounds paired rounds): keep-alive req/s tandemd $(echo "${RATIOS[tandem,ka]}" | median | xargs printf '%.2f') (rounds: ${RATIOS[tandem,ka]% }), HAProxy $(echo "${RATIOS[haproxy,ka]}" | median | xargs printf '%.2f') (rounds: ${RATIOS[haproxy,ka]% }); new connections/s tandemd $(echo "${RATIOS[tandem,conn]}" | median | xargs printf '%.2f') (rounds: ${RATIOS[tandem,conn]% }), HAProxy $(echo "${RATIOS[haproxy,conn]}" | median | xargs printf '%.2f') (rounds: ${RATIOS[haproxy,conn]% })."
    fi
  fi
  echo
  echo "Keep-alive and new-connection rows (http and policy) are medians of $rounds paired rounds of ${round_duration}s; the other rows are single runs of ${duration}s."
  echo "Command: \`npm run bench\`$( [ "$duration" != 8 ] && echo " --duration $duration")$( [ "$rounds" != 9 ] && echo " --rounds $rounds")$( [ "$round_duration" != 3 ] && echo " --round-duration $round_duration")"
} | tee "$work/table.md"
mkdir -p bench-results && cp "$work/table.md" bench-results/latest.md
