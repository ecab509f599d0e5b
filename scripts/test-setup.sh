#!/usr/bin/env bash
# What the test suite needs from the system besides Python packages: Debian's Chromium for
# the browser tests (never a downloaded browser), fonts that cover Hangul, and curl for the
# documentation's API examples (tests/docs).
# Installs them with apt when missing and running as root (CI, a fresh machine).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v curl >/dev/null || need+=(curl)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "installing ${need[*]} with apt" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
  else
    echo "missing ${need[*]}; browser tests will be skipped (or fail under CI=true)" >&2
  fi
fi
