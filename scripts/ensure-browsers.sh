#!/usr/bin/env bash
# Makes sure the system tools the tests drive are installed: Debian's Chromium and Firefox ESR
# (the e2e tests never download a browser), GnuPG (demo release signing, reference checks) and
# in-toto (rebuild attestations) and datefudge (the browser's clock moved, test/e2e/key-life.e2e.ts).
# Installs them with apt-get when running as root; otherwise prints ONE line naming what is
# missing and exits 1. Never skips silently. (The Firefox language packs only the store
# screenshots need are fetched by `npm run store:screenshots`: scripts/firefox-langpacks.sh.)
set -euo pipefail

# tool:package pairs
REQUIRED=(/usr/bin/chromium:chromium /usr/bin/firefox-esr:firefox-esr gpg:gnupg in-toto-run:in-toto /usr/lib/x86_64-linux-gnu/datefudge/datefudge.so:datefudge)
PACKAGES=(chromium firefox-esr gnupg in-toto xvfb datefudge)

missing() {
  local out=()
  for pair in "${REQUIRED[@]}"; do
    local tool=${pair%%:*} pkg=${pair##*:}
    if [[ $tool == *.so* ]]; then [[ -r $tool ]] || out+=("$tool:$pkg")
    elif [[ $tool == /* ]]; then [[ -x $tool ]] || out+=("$tool:$pkg")
    else command -v "$tool" >/dev/null 2>&1 || out+=("$tool:$pkg"); fi
  done
  echo "${out[@]:-}"
}

gone=$(missing)
if [[ -n $gone ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-browsers: installing ${PACKAGES[*]} with apt-get (missing: $gone)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
    gone=$(missing)
  fi
fi

if [[ -n $gone ]]; then
  names=() pkgs=()
  for pair in $gone; do names+=("${pair%%:*}"); pkgs+=("${pair##*:}"); done
  echo "missing: ${names[*]} (apt-get install ${pkgs[*]})"
  exit 1
fi

echo "ensure-browsers: $(/usr/bin/chromium --version 2>/dev/null | head -1); $(/usr/bin/firefox-esr --version 2>/dev/null | head -1); $(gpg --version | head -1)"
