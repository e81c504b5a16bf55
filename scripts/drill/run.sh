#!/usr/bin/env bash
# Builds Tandem and runs the failover drills (drill.mjs) in the namespace lab, as root.
#   scripts/drill/run.sh [--vrrp 2|3|both] [--only "daemon SIGKILL,link down"] [--keep]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../env.sh
source "$here/../env.sh"
tandem_ensure_runtime
tandem_ensure_apt iproute2 tcpdump keepalived iputils-arping
tandem_ensure_install
tandem_build
exec node "$here/drill.mjs" "$@"
