#!/usr/bin/env bash
# Makes sure Debian's Chromium is at $CHROMIUM_PATH (default /usr/bin/chromium) for the browser tests.
# Playwright cannot download its own browser here, so the tests drive the distribution's build.
set -euo pipefail

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium_path" ]; then
  echo "chromium: $chromium_path is present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "chromium: $chromium_path is missing and installing it needs root: apt-get install -y chromium" >&2
  exit 1
fi
echo "chromium: installing Debian's chromium package"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
test -x "$chromium_path"
echo "chromium: installed $chromium_path"
