#!/usr/bin/env bash
# For a reviewer, on a THROWAWAY machine of this project's kind only: removes what `npm test` provisions
# (Debian's chromium, poppler-utils, R with survey and haven, and the unpacked npm Chromium), then runs the
# README's commands in a fresh clone of this repository — as a newcomer's machine would.
set -euo pipefail
if [ "${1:-}" != "--yes-this-machine-is-throwaway" ]; then
  echo "usage: $0 --yes-this-machine-is-throwaway   (it removes system packages)" >&2
  exit 2
fi
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq --purge chromium poppler-utils r-base-core r-cran-survey r-cran-haven pspp libreoffice-calc-nogui libreoffice-impress-nogui libreoffice-core-nogui >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive apt-get autoremove -y -qq >/dev/null 2>&1 || true
rm -rf "$(node -p 'require("os").tmpdir()')/chromium"
for tool in chromium pdftotext Rscript; do ! command -v "$tool" >/dev/null 2>&1 || { echo "$tool is still installed" >&2; exit 1; }; done
clone=$(mktemp -d)
git clone -q "$repo" "$clone"
cd "$clone"
npm install --no-audit --no-fund
npm test
echo "fresh machine: npm install && npm test passed in $clone"
