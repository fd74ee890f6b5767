#!/usr/bin/env bash
# The stream consumer's handler side, as a user gets it: the runtime package packs with its dependency
# ranges, and the documented NodejsFunction snippet bundles to at most 60 KB under `cdk init`'s feature
# flags (two NodejsFunction synths with esbuild: too slow for `npm test`).
set -euo pipefail
cd "$(dirname "$0")/../.."

npx projen package:runtime
node -e '
const fs = require("fs");
const tgz = fs.readdirSync("dist/js").filter((f) => f.startsWith("cdk-dynamodb-blueprints-runtime-"));
if (tgz.length !== 1) { console.error(`expected one runtime tarball in dist/js, found: ${tgz}`); process.exit(1); }
console.log(`runtime package: dist/js/${tgz[0]}`);
'
# One pattern: jest's --testMatch takes every following argument as another pattern.
npx jest --ci --testMatch '<rootDir>/test/streams/handler-bundle.slow-test.ts'
