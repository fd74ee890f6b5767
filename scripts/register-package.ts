import * as path from 'path';

// Lets the examples import 'cdk-dynamodb-blueprints' by name, as a user would, when they run from
// this repository's sources (ts-node), without a build or an install of the package itself.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Module = require('module');
const original = Module._resolveFilename;
const SOURCE = path.join(__dirname, '..', 'src', 'index.ts');
Module._resolveFilename = function resolve(request: string, ...rest: unknown[]) {
  return original.call(this, request === 'cdk-dynamodb-blueprints' ? SOURCE : request, ...rest);
};
