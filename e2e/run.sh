#!/usr/bin/env bash
# Runs the Playwright suite, inside the private network namespace when this machine has one
# (WebRTC gathers no candidates without it, and nothing can leak to the outside).
set -euo pipefail
cd "$(dirname "$0")/.."
isolated="../shared/tools/isolated-net"
if [[ -x "$isolated" ]]; then
  exec "$isolated" npx playwright test "$@"
fi
echo "e2e: $isolated not found; running without network isolation"
exec npx playwright test "$@"
