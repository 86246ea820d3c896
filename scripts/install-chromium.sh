#!/bin/sh
# Installs Debian's chromium for the HTML-report browser test (tests/report/html-browser.test.ts)
# when /usr/bin/chromium is missing. Non-interactive; needs root (CI runs as root) or sudo.
set -eu
if [ -x /usr/bin/chromium ]; then
  echo "install-chromium: /usr/bin/chromium already present ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else echo "install-chromium: need root or sudo to apt-get install chromium" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# fonts-dejavu-core: readable text in the screenshot artifact.
$SUDO apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
if [ ! -x /usr/bin/chromium ]; then
  echo "install-chromium: apt-get finished but /usr/bin/chromium is still missing" >&2
  exit 1
fi
echo "install-chromium: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
