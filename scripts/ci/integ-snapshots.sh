#!/usr/bin/env bash
# The integration tests' snapshots (test/integ.*.ts.snapshot/) unchanged, without deploying.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx ts-node --transpile-only --project tsconfig.dev.json scripts/ci/integ-snapshots.ts
