#!/usr/bin/env bash
# `npm start`: installs what is needed, builds, and runs tandemd on its embedded loopback demo.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$TANDEM_ROOT"
tandem_ensure_apt curl || true
tandem_ensure_install
tandem_build
exec node apps/tandemd/dist/src/main.js --demo "$@"
