import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describeTable } from './10-tables';
import { TableDefinitions } from '../../src';

export const title = 'Python: the orders lab from examples/python, synthesized with the built wheel';

const ROOT = path.join(__dirname, '..', '..');
const APP_DIR = path.join(ROOT, 'examples', 'python');
const PYTHON = path.join(APP_DIR, '.venv', 'bin', 'python');
const OUT = path.join(ROOT, 'cdk.out', 'python-orders-lab');

export async function run(): Promise<void> {
  const installed = fs.existsSync(PYTHON)
    && spawnSync(PYTHON, ['-c', 'import cdk_dynamodb_blueprints'], { cwd: APP_DIR, stdio: 'ignore' }).status === 0;
  if (!installed) {
    console.log([
      'examples/python has no virtual environment with the wheel yet. To build the wheel and try it:',
      '  CI=1 npx projen package:python                  # dist/python/*.whl (CI=1: the Python target only)',
      '  cd examples/python && python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt',
      '  .venv/bin/python app.py                          # or `cdk synth`; `.venv/bin/pytest` runs its tests',
      'or run `bash scripts/ci/multi-language.sh` (after `npx projen compile`), which does all of it and the Java app too.',
    ].join('\n'));
    return;
  }
  fs.rmSync(OUT, { recursive: true, force: true });
  const result = spawnSync(PYTHON, ['app.py'], {
    cwd: APP_DIR,
    env: { ...process.env, CDK_OUTDIR: OUT, JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: '1', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: process.versions.node.split('.')[0] },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`examples/python/app.py failed (exit ${result.status}):\n${result.stderr}`);
  }
  const template = JSON.parse(fs.readFileSync(path.join(OUT, 'OrdersLab.template.json'), 'utf8'));
  console.log('examples/python/app.py (DynamoDBBlueprintChecks as a validation plugin: 0 findings), cdk.out/python-orders-lab/OrdersLab.template.json');
  for (const table of TableDefinitions.fromTemplate(template)) {
    console.log(describeTable(table));
  }
}
