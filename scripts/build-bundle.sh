#!/bin/sh
# The production bundle: what the Docker image runs. CI builds it with this same script, so a
# bundle that cannot start on production dependencies alone fails CI, not a deployment.
set -eu
npm ci --no-audit --no-fund
npm run build
npm prune --omit=dev --no-audit --no-fund
