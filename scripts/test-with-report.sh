#!/usr/bin/env bash
# The unit and e2e suites with the reliability tests recording what they tried and lost; then
# docs/reliability.md is generated from those records (nothing in it is written by hand).
set -euo pipefail
cd "$(dirname "$0")/.."
records="$(mktemp -d)/reliability.jsonl"
export DUET_RELIABILITY_OUT="$records"
npm run test:unit
npm run test:e2e
npx tsx scripts/reliability-report.ts "$records" docs/reliability.md
