// Makes snapshots deterministic: asset hashes change with every dependency bump, and
// `LatestNodeRuntimeMap` with every aws-cdk-lib release. Neither says anything about our constructs.
const ASSET_HASH = /[A-Fa-f0-9]{64}/g;

expect.addSnapshotSerializer({
  test: (value: unknown) => typeof value === 'string' && /[A-Fa-f0-9]{64}/.test(value),
  print: (value: unknown) => JSON.stringify((value as string).replace(ASSET_HASH, '[ASSET HASH]')),
});
