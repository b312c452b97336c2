#!/usr/bin/env bash
# `npm start`: build both extensions with the demo profile, make the demo release, start the demo
# servers (site :8470, mirrors :8471, fake rebuilders :8481-8483, static reproducer :8484), then
#  - with a display ($DISPLAY): open Firefox ESR with the extension installed as a temporary
#    add-on (through the e2e harness, WebDriver BiDi) at the demo download page
#    (DEMO_BROWSER=chromium for Chromium instead);
#  - without one: run the flow headless (download the good image in Chromium with the extension,
#    wait for the verdict) and print the verdict and the screenshot paths.
# The servers keep running until Ctrl-C (DEMO_EXIT=1: stop after the headless flow).
set -euo pipefail
cd "$(dirname "$0")/.."
export PUPPETEER_SKIP_DOWNLOAD=1

echo "==> checking for Chromium, Firefox ESR, GnuPG and in-toto (installed with apt-get as root)"
bash scripts/ensure-browsers.sh

echo "==> building the extensions (demo profile)"
npx webpack --mode production --env profile=demo

echo "==> making the demo release"
npx tsx scripts/make-demo-release.ts

if [[ -n ${DISPLAY:-} ]]; then
  echo "==> starting the demo servers and opening ${DEMO_BROWSER:-firefox} on $DISPLAY"
  exec npx tsx scripts/demo-servers.ts --quiet --open --browser "${DEMO_BROWSER:-firefox}"
else
  echo "==> no \$DISPLAY: starting the demo servers and running the flow in headless Chromium"
  exec npx tsx scripts/demo-servers.ts --quiet --flow ${DEMO_EXIT:+--exit}
fi
