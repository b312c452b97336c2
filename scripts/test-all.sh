#!/usr/bin/env bash
# Every test, in order, stopping at the first failure (what `npm test` runs):
#   1. system tools (Chromium, Firefox ESR, GnuPG, in-toto)   scripts/ensure-browsers.sh
#   2. type check (all; src/core, src/wire alone without DOM/Node), lint, format  npx tsc --noEmit -p tsconfig.json / tsconfig.core.json / tsconfig.wire.json; npx eslint .; npx prettier --check .
#   3. unit tests                                             npx vitest run
#   4. build both extensions with the demo profile            npx webpack --mode production --env profile=demo
#   5. web-ext lint on the Firefox build (errors fail)        npx web-ext lint --source-dir dist/firefox
#   6. end-to-end tests in Chromium and Firefox               npx vitest run -c vitest.e2e.config.ts
# Ends with one summary line: "summary: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
export PUPPETEER_SKIP_DOWNLOAD=1

REPORT_DIR=artifacts/test-reports
mkdir -p "$REPORT_DIR"
rm -f "$REPORT_DIR"/*.json

started=$(date +%s)
current=""

section() {
  current=$1
  printf '\n==================== %s ====================\n' "$1"
  section_started=$(date +%s)
}

section_done() {
  printf -- '---- %s: ok (%ss)\n' "$current" "$(( $(date +%s) - section_started ))"
}

# Sum passed/failed tests over the vitest JSON reports written so far.
counts() {
  node -e '
    const fs = require("fs"), path = require("path");
    const dir = process.argv[1];
    let passed = 0, failed = 0;
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      if (!f.endsWith(".json")) continue;
      try {
        const r = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
        passed += r.numPassedTests || 0;
        failed += (r.numFailedTests || 0);
      } catch {}
    }
    process.stdout.write(`${passed} passed, ${failed} failed`);
  ' "$REPORT_DIR"
}

on_exit() {
  local rc=$?
  local total=$(( $(date +%s) - started ))
  echo
  if [[ $rc -ne 0 ]]; then
    echo "FAILED in step: ${current:-setup} (exit $rc, ${total}s)"
    local c; c=$(counts)
    # Count a failing non-test step as one failure, so the summary never reads as green.
    if [[ $c == *" 0 failed" ]]; then c="${c% 0 failed} 1 failed"; fi
    echo "summary: $c"
  else
    echo "all steps passed (${total}s)"
    echo "summary: $(counts)"
  fi
}
trap on_exit EXIT

section "1/6 system tools"
bash scripts/ensure-browsers.sh
section_done

section "2/6 type check, lint and format"
npx tsc --noEmit -p tsconfig.json
npx tsc --noEmit -p tsconfig.core.json
npx tsc --noEmit -p tsconfig.wire.json
npx eslint --max-warnings 0 .
npx prettier --check --log-level warn . || { echo 'code is not formatted: run npx prettier --write . (or npm run format)'; exit 1; }
section_done

section "3/6 unit tests (incl. the reproducible-build check)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$REPORT_DIR/unit.json"
section_done

section "4/6 build (demo profile)"
npx webpack --mode production --env profile=demo
section_done

section "5/6 web-ext lint (Firefox build; fails on errors)"
npx web-ext lint --source-dir dist/firefox --no-config-discovery --output text > "$REPORT_DIR/web-ext-lint.txt" 2>&1 || {
  cat "$REPORT_DIR/web-ext-lint.txt"; false; }
grep -E '^(errors|warnings|notices) ' "$REPORT_DIR/web-ext-lint.txt" || tail -n 5 "$REPORT_DIR/web-ext-lint.txt"
section_done

section "6/6 end-to-end (Chromium, Firefox)"
npx vitest run -c vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json="$REPORT_DIR/e2e.json"
section_done
