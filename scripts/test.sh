#!/usr/bin/env bash
# The whole test suite, the one command the README gives and .ci/run calls. Installs what it needs first.
#
# Layers (ARCHITECTURE rule 17): unit specs beside the code (*.spec.ts), integration specs per lib
# (libs/*/test/*.int-spec.ts, real sockets on loopback, SQLite on a temp file, namespaces when root) and black-box
# scenarios (apps/tandemd/test/scenarios/*.int-spec.ts: real tandemd processes, real configs, stub backends).
# Tests that need root or network namespaces run in CI (root) and say why they skip elsewhere.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$TANDEM_ROOT"

# Debian tools the tests drive: curl and openssl as real clients of the TLS scenario (iproute2 for namespaces).
# keepalived (and arping) are the VRRP interop peer; socat is the admin-socket client operators use; HAProxy joins when the peers work needs it.
tandem_ensure_apt curl openssl iproute2 keepalived iputils-arping socat rsyslog || tandem_log "continuing without some Debian packages; tests that need them will say so"
tandem_ensure_install
tandem_build

tandem_log "lint: lib boundaries"
node scripts/lint/boundaries.mjs

layers=("libs/*/dist/src/**/*.spec.js" "apps/*/dist/src/**/*.spec.js" "libs/*/dist/test/**/*.int-spec.js" "apps/*/dist/test/**/*.int-spec.js")
if [ "${1:-}" = "--unit" ]; then layers=("libs/*/dist/src/**/*.spec.js" "apps/*/dist/src/**/*.spec.js"); fi

tandem_log "tests: ${layers[*]}"
# One runner invocation, so its closing summary counts every test. Two files at a time: the machine has 2 cores
# and the scenario tests start real daemons.
exec node --test --test-concurrency=2 --test-timeout=180000 "${layers[@]}"
