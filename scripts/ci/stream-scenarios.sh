#!/usr/bin/env bash
# Fault scenarios of the exactly-once stream consumer on DynamoDB Local (a few minutes): kills, hangs, throttles,
# redeliveries, overlapping invocations, poison records and their redrive, shared tables. Too slow for `npm test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx jest --ci -c test/scenarios/jest.config.json "$@"
