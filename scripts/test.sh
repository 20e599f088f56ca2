#!/usr/bin/env bash
# The README's test command (`npm test`): every check, in order, stopping at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

# The tests need Debian's Chromium (end-to-end) and redis-server 7.0 (conformance).
bash scripts/ensure-system-deps.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$1"; }
step 'types';       npm run --silent test:types
step 'lint';        npm run --silent test:lint
step 'cycles';      npm run --silent test:cycles
step 'format';      npm run --silent test:format
step 'unit';        npm run --silent test:unit
step 'size';        npm run --silent size
step 'soak';        npm run --silent soak
step 'conformance'; npm run --silent conformance -- --ci
step 'e2e';         npm run --silent test:e2e
