#!/usr/bin/env bash
# The stream consumer's handler side, as a user gets it: the runtime package packs (ES modules and CommonJS),
# its tarball is installed in an app outside the repository, and the README's handler, bundled there by a real
# NodejsFunction synth with the README's props and `cdk init`'s feature flags, is at most 55 KB and runs
# against DynamoDB Local (an npm install, three esbuild bundles and a DynamoDB Local: too slow for `npm test`).
set -euo pipefail
cd "$(dirname "$0")/../.."

rm -f dist/js/cdk-dynamodb-blueprints-runtime-*.tgz
npx projen package:runtime
tarball=$(ls dist/js/cdk-dynamodb-blueprints-runtime-*.tgz)
echo "runtime package: $tarball"
# One pattern: jest's --testMatch takes every following argument as another pattern.
RUNTIME_TARBALL=$tarball npx jest --ci --testMatch '<rootDir>/test/streams/handler-bundle.slow-test.ts'
