#!/usr/bin/env bash
# Firefox ESR language packs for the languages of tails.net, so an e2e Firefox can be started in
# them (test/e2e/harness.ts `lang`; the store screenshots, test/e2e/store-screenshots.e2e.ts).
# Takes them from Debian's firefox-esr-l10n-* packages of exactly the installed Firefox ESR
# version (a language pack works only with its own version), with `apt-get download` (nothing is
# installed), and puts the .xpi files into artifacts/firefox-langpacks/ (FIREFOX_LANGPACKS).
# Does nothing when they are already there for this version.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${FIREFOX_LANGPACKS:-artifacts/firefox-langpacks}
# Debian package suffix for each locale of public/_locales (en needs none).
PACKAGES=(de es-es fr it pt-br ru tr zh-cn)

version=$(dpkg-query -W -f='${Version}' firefox-esr 2>/dev/null || true)
if [[ -z $version ]]; then
  echo "firefox-langpacks: firefox-esr is not installed (scripts/ensure-browsers.sh)"
  exit 1
fi
if [[ -f $DIR/VERSION && $(cat "$DIR/VERSION") == "$version" && $(ls "$DIR"/langpack-*.xpi 2>/dev/null | wc -l) -eq ${#PACKAGES[@]} ]]; then
  echo "firefox-langpacks: ${#PACKAGES[@]} language packs for firefox-esr $version in $DIR"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(
  cd "$work"
  apt-get download -qq $(printf "firefox-esr-l10n-%s=$version " "${PACKAGES[@]}") 2>&1 | grep -v '^W: Download is performed unsandboxed' || true
  for deb in *.deb; do dpkg-deb -x "$deb" x; done
)
mkdir -p "$DIR"
rm -f "$DIR"/langpack-*.xpi
cp "$work"/x/usr/lib/firefox-esr/browser/extensions/langpack-*.xpi "$DIR"/
echo "$version" > "$DIR/VERSION"
count=$(ls "$DIR"/langpack-*.xpi | wc -l)
if [[ $count -ne ${#PACKAGES[@]} ]]; then
  echo "firefox-langpacks: got $count of ${#PACKAGES[@]} language packs for firefox-esr $version"
  exit 1
fi
echo "firefox-langpacks: ${#PACKAGES[@]} language packs for firefox-esr $version in $DIR"
