#!/usr/bin/env bash
# Runs the benchmarks, inside the private network namespace when this machine has one: Chromium
# gathers no WebRTC ICE candidates without a non-loopback interface, so the direct-link figures
# need it. Arguments pick benchmarks by key: `npm run bench -- keystroke`.
set -euo pipefail
cd "$(dirname "$0")/.."
isolated="../shared/tools/isolated-net"
if [[ -x "$isolated" ]]; then
  exec "$isolated" npx tsx bench/run.ts "$@"
fi
echo "bench: $isolated not found; running without network isolation (direct WebRTC may fall back to relay)"
exec npx tsx bench/run.ts "$@"
