#!/usr/bin/env bash
# aws-cdk-lib's built-in CloudFormation schema validation on every example (2-3 s a synth, off in
# `npm test`): the templates this library emits are schema-clean.
set -euo pipefail
cd "$(dirname "$0")/../.."
# One pattern: jest's --testMatch takes every following argument as another pattern.
npx jest --ci --testMatch '<rootDir>/test/examples/schema.slow-test.ts'
