#!/usr/bin/env bash
# Deployment checks for CI: the Dockerfile and compose files pass their linters, the lock file
# installs on other platforms, and the production bundle (built as the image builds it) starts
# on its production dependencies alone, answers /health and stops cleanly on SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

echo "== Dockerfile lint"
dockerfile_findings=$(npx --no-install dockerfile-utils lint Dockerfile)
if [ -n "$dockerfile_findings" ]; then
  echo "$dockerfile_findings"
  exit 1
fi

echo "== compose lint"
npx --no-install dclint docker-compose*.yml

echo "== lock file installs on every platform we ship to"
for platform in "darwin arm64" "darwin x64" "win32 x64" "linux arm64" "linux x64"; do
  set -- $platform
  npm ci --dry-run --ignore-scripts --no-audit --no-fund --os="$1" --cpu="$2" >/dev/null 2>&1
  echo "npm ci accepts the lock file on $1/$2"
done

echo "== production bundle, built as the image builds it"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# What a clean clone holds (plus files not yet committed when run by hand), never node_modules or dist.
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work"
cd "$work"
sh scripts/build-bundle.sh >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; exit 1; }

http_port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
mqtt_port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
mkdir -p "$work/data"
NODE_ENV=production DATA_DIR="$work/data" HTTP_PORT=$http_port MQTT_PORT=$mqtt_port HTTP_HOST=127.0.0.1 \
  node --max-semi-space-size=32 dist/apps/hub/src/main.js >"$work/hub.log" 2>&1 &
hub=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$http_port/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 $hub 2>/dev/null; then tail -40 "$work/hub.log"; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$http_port/health" >/dev/null || { tail -40 "$work/hub.log"; exit 1; }
echo "the bundle started on production dependencies and answers /health"
kill -TERM $hub
for _ in $(seq 1 40); do kill -0 $hub 2>/dev/null || break; sleep 0.25; done
if kill -0 $hub 2>/dev/null; then
  kill -KILL $hub
  echo "the bundle did not stop within 10 s of SIGTERM"
  exit 1
fi
# 143: Nest re-raises SIGTERM once its shutdown hooks are done, as a process killed by it would.
status=0
wait $hub || status=$?
if [ $status -ne 0 ] && [ $status -ne 143 ]; then
  echo "the bundle exited with status $status after SIGTERM"
  tail -20 "$work/hub.log"
  exit 1
fi
echo "the bundle stopped cleanly on SIGTERM"
