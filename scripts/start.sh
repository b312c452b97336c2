#!/usr/bin/env bash
# `npm start`: build both extensions with the demo profile, make the demo release, start the demo
# servers (site :8470, mirrors :8471, fake rebuilders :8481-8483), then
#  - with a display ($DISPLAY): open Chromium with the extension loaded at the demo download page
#    (Firefox cannot load a temporary add-on from the command line; see the e2e harness);
#  - without one: run the flow headless (download the good image in Chromium with the extension,
#    wait for the verdict) and print the verdict and the screenshot paths.
# The servers keep running until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
export PUPPETEER_SKIP_DOWNLOAD=1

echo "==> building the extensions (demo profile)"
npx webpack --mode production --env profile=demo

echo "==> making the demo release"
npx tsx scripts/make-demo-release.ts

if [[ -n ${DISPLAY:-} ]]; then
  echo "==> starting the demo servers and opening Chromium on \$DISPLAY"
  exec npx tsx scripts/demo-flow.ts --interactive
else
  echo "==> no \$DISPLAY: running the demo flow headless"
  exec npx tsx scripts/demo-flow.ts --headless
fi
