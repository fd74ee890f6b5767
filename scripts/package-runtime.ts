/*
 * Packs the runtime package (packages/stream-runtime, compiled from src/runtime by `tsc`) into dist/js,
 * with the construct library's version, so one release publishes both at the same version.
 * The compiled modules sit at the package root: `cdk-dynamodb-blueprints-runtime/stream-handler` resolves
 * under every TypeScript module resolution, with no `exports` map to keep in step with src/runtime.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');
const packageDir = path.join(root, 'packages', 'stream-runtime');
const compiled = path.join(packageDir, 'lib');
const version: string = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;

const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'stream-runtime-'));
try {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const modules = fs.readdirSync(compiled).filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'));
  if (!modules.some((f) => f === 'stream-handler.js')) {
    throw new Error(`${compiled} has no stream-handler.js: run \`tsc -p packages/stream-runtime/tsconfig.json\` first.`);
  }
  for (const file of modules) {
    fs.copyFileSync(path.join(compiled, file), path.join(staging, file));
  }
  fs.copyFileSync(path.join(packageDir, 'README.md'), path.join(staging, 'README.md'));
  fs.copyFileSync(path.join(root, 'LICENSE'), path.join(staging, 'LICENSE'));
  fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ ...manifest, version, files: modules }, undefined, 2));
  const out = path.join(root, 'dist', 'js');
  fs.mkdirSync(out, { recursive: true });
  execFileSync('npm', ['pack', '--pack-destination', out], { cwd: staging, stdio: 'inherit' });
} finally {
  fs.rmSync(staging, { recursive: true, force: true });
}
