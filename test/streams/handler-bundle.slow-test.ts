import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';

const ENTRY = path.join(__dirname, 'fixtures', 'readme-handler.ts');
/** A handler on the Powertools idempotency path (`createStreamHandler`). */
const POWERTOOLS_ENTRY = path.join(__dirname, 'fixtures', 'powertools-handler.ts');
const REPO = path.join(__dirname, '..', '..');

/** The NodejsFunction props of the handler snippet in docs/stream-consumers.md and the README. */
const SNIPPET_PROPS: NodejsFunctionProps = {
  runtime: lambda.Runtime.NODEJS_24_X,
  bundling: { minify: true, externalModules: ['@aws-sdk/*'] },
};

/** Synthesizes a NodejsFunction as `cdk init` would (its feature flags), and returns the size of its bundle. */
function bundleBytes(props: NodejsFunctionProps, entry = ENTRY): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
  try {
    const app = new App({
      outdir,
      builtinCloudFormationValidation: false,
      context: { ...CURRENTLY_RECOMMENDED_FLAGS, 'aws:cdk:enable-asset-metadata': true },
    });
    const stack = new Stack(app, 'Bundle');
    new NodejsFunction(stack, 'OpenTaskCounter', { entry, ...props });
    const template = app.synth().getStackByName('Bundle').template;
    const fn: any = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::Lambda::Function');
    return fs.statSync(path.join(outdir, fn.Metadata['aws:asset:path'], 'index.js')).size;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

test('the documented handler snippet bundles to at most 60 KB with cdk init flags, the AWS SDK left to the runtime', () => {
  const bytes = bundleBytes(SNIPPET_PROPS);
  expect(bytes).toBeLessThanOrEqual(60 * 1024);
  // Powertools and the runtime helpers are in it: the bundle is not empty.
  expect(bytes).toBeGreaterThan(20 * 1024);
});

test('the Powertools-path handler bundles to at most 80 KB with the same props: Powertools batch, idempotency (with its JMESPath), logger', () => {
  const bytes = bundleBytes(SNIPPET_PROPS, POWERTOOLS_ENTRY);
  // 76 KB measured in December 2026; more would mean something new came in (the AWS SDK alone is 600 KB and more).
  expect(bytes).toBeLessThanOrEqual(80 * 1024);
  expect(bytes).toBeGreaterThan(40 * 1024);
});

test('the docs show exactly these props', () => {
  for (const file of ['README.md', 'docs/stream-consumers.md']) {
    const text = fs.readFileSync(path.join(REPO, file), 'utf8');
    expect(text).toContain('runtime: Runtime.NODEJS_24_X');
    expect(text).toContain("bundling: { minify: true, externalModules: ['@aws-sdk/*'] }");
  }
});

test('without them, cdk init flags pick NODEJS_LATEST and the whole AWS SDK is bundled', () => {
  // The reason for the props above: more than 10 times the limit.
  expect(bundleBytes({})).toBeGreaterThan(600 * 1024);
});
