#!/usr/bin/env bash
# Debian packages the test suite starts by itself: PostgreSQL 15 (repository tests, outage
# tests), InfluxDB 1.6 (telemetry contract and outage tests), Mosquitto (benchmark baseline),
# Chromium (console browser tests), a CJK font so zh-CN screenshots are legible, and
# libfaketime (the realistic-night corpus runs the hub on a compressed clock), HAProxy 2.6 and
# nats-server 2.9 (the clustered mode's load balancer and node-to-node bus). Nothing is
# started here; the tests run each server on a random loopback port in a temp folder.
set -euo pipefail
packages=(postgresql influxdb mosquitto chromium fonts-wqy-microhei faketime haproxy nats-server)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test dependencies present: ${packages[*]}"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
