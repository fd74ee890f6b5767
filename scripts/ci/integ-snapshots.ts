/*
 * The snapshot check of the integration tests (test/integ.*.ts), without deploying: each test app is
 * synthesized and its templates and integ manifest are compared with the committed
 * test/<file>.snapshot/ (asset hashes and assertion salts normalized). `--update` rewrites the snapshots, on purpose only.
 *
 * integ-runner does this itself, but @aws-cdk/integ-runner 2.197.10 (the newest, Dec 2026) refuses the
 * cloud assemblies of aws-cdk-lib 2.276 ("Maximum schema version supported is 53.x.x, but found 55.0.0");
 * the snapshot layout is integ-runner's, so it can take over once it reads schema 55.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const update = process.argv.includes('--update');
const ASSET_HASH = /[A-Fa-f0-9]{64}/g;
/** integ-tests-alpha salts each assertion with the synth time, so that it runs on every deployment. */
const ASSERTION_SALT = /"salt": "\d+"/g;

function snapshotFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const file of fs.readdirSync(dir).sort()) {
    if (file.endsWith('.template.json') || file === 'integ.json') {
      files[file] = fs.readFileSync(path.join(dir, file), 'utf8').replace(ASSET_HASH, '[ASSET HASH]').replace(ASSERTION_SALT, '"salt": "[SYNTH TIME]"');
    }
  }
  return files;
}

const tests = fs.readdirSync(path.join(root, 'test')).filter((f) => /^integ\..*\.ts$/.test(f)).sort();
let failed = 0;
for (const test of tests) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
  try {
    execFileSync('node', ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', path.join('test', test)], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, CDK_OUTDIR: outdir, TS_NODE_PROJECT: 'tsconfig.dev.json', CDK_VALIDATION: 'false' },
    });
    const actual = snapshotFiles(outdir);
    const snapshotDir = path.join(root, 'test', `${test}.snapshot`);
    if (update) {
      fs.rmSync(snapshotDir, { recursive: true, force: true });
      fs.mkdirSync(snapshotDir, { recursive: true });
      for (const [file, text] of Object.entries(actual)) {
        fs.writeFileSync(path.join(snapshotDir, file), text);
      }
      console.log(`${test}: snapshot written (${Object.keys(actual).join(', ')})`);
      continue;
    }
    const expected = fs.existsSync(snapshotDir) ? snapshotFiles(snapshotDir) : {};
    const names = [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort();
    const changed = names.filter((n) => actual[n] !== expected[n]);
    if (changed.length > 0) {
      failed++;
      console.error(`${test}: the snapshot differs in ${changed.join(', ')}: if the change is meant, run \`npx ts-node --transpile-only --project tsconfig.dev.json scripts/ci/integ-snapshots.ts --update\` and commit test/${test}.snapshot/.`);
    } else {
      console.log(`${test}: snapshot unchanged (${names.length} files)`);
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
if (tests.length === 0 || failed > 0) {
  process.exit(1);
}
