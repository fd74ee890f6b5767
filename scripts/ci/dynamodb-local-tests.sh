#!/usr/bin/env bash
# The suites that start DynamoDB Local (on 127.0.0.1, a free port, stopped by its pid): the capacity
# calculator against ReturnConsumedCapacity, the local tools, and the task tracker run end to end.
# About 25 s of a 2-core machine: kept out of `npm test` so that it stays under 90 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
# One pattern: jest's --testMatch takes every following argument as another pattern.
npx jest --ci --testMatch '<rootDir>/test/**/*.local-test.ts' "$@"
