#!/usr/bin/env bash
# What `npm test` needs beyond the npm packages, provisioned before any test runs, so that the README's
# test command passes on a fresh machine with nothing installed by hand (.ci/run calls only `npm test`):
#   poppler-utils       pdftotext/pdfimages read the printed reports back (test/integration/publication.test.ts)
#   R, survey, haven    R re-estimates the published microdata and reads the SPSS/Stata files (r-*.test.ts)
#   pspp, LibreOffice   PSPP reads the .sav, Calc the CSV in a Vietnamese locale, Impress the slides (office-readers.test.ts)
#   postgresql          clusters of a test's own: outage, two instances, the statement-log attack
#   postgresql-client   pg_dump/pg_restore for `ddci backup` on a server (backup.test.ts)
# Chromium comes from the npm registry (@sparticuz/chromium, server/reports/browser.ts); it is unpacked
# here once, so test files running side by side never unpack it at the same time.
# Where the packages cannot be installed (not Debian, or neither root nor passwordless sudo), one message
# names what to install and the tests do not start.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
for tool in pdftotext pdfimages pdftoppm; do
  command -v "$tool" >/dev/null 2>&1 || { packages+=(poppler-utils); break; }
done
if ! command -v Rscript >/dev/null 2>&1 || ! Rscript -e 'suppressMessages({library(survey); library(haven)})' >/dev/null 2>&1; then
  packages+=(r-base-core r-cran-survey r-cran-haven)
fi
command -v pspp >/dev/null 2>&1 || packages+=(pspp)
# soffice with Calc and Impress, without the desktop (the -nogui builds).
if ! command -v soffice >/dev/null 2>&1 || ! ls /usr/lib/libreoffice/program/libsclo.so /usr/lib/libreoffice/program/libsdlo.so >/dev/null 2>&1; then
  packages+=(libreoffice-calc-nogui libreoffice-impress-nogui)
fi
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
{ command -v pg_dump && command -v pg_restore; } >/dev/null 2>&1 || packages+=(postgresql-client)

if [ ${#packages[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else sudo="none"; fi
  fi
  if ! command -v apt-get >/dev/null 2>&1 || [ "$sudo" = "none" ]; then
    echo "npm test needs these system packages, which this user cannot install here:" >&2
    echo "  ${packages[*]}" >&2
    echo "Install them (Debian/Ubuntu: sudo apt-get install --no-install-recommends ${packages[*]}) and run npm test again." >&2
    exit 1
  fi
  echo "== npm test: installing ${packages[*]} (Debian packages the tests use) =="
  log=$(mktemp)
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "npm test: could not install ${packages[*]}; install them by hand and run npm test again." >&2
    exit 1
  fi
  rm -f "$log"
fi

if [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then
  node -e "import('@sparticuz/chromium').then((m) => m.default.executablePath()).catch((e) => { console.error('npm test: the Chromium of @sparticuz/chromium could not be unpacked: ' + e.message); process.exit(1); })"
fi
