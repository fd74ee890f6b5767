#!/usr/bin/env bash
# Fault scenarios of the exactly-once stream consumer on DynamoDB Local (a few minutes): kills, throttles,
# redeliveries, overlapping invocations, a poison record and its redrive. Too slow for `npm test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx jest --ci -c test/scenarios/jest.config.json "$@"
