/**
 * `npm run bench`: runs every benchmark under bench/ (or those whose file name contains an argument),
 * each in its own process so one's heap does not skew the next.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const only = process.argv.slice(2);
const files = fs.readdirSync(__dirname)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
for (const file of files) {
  console.log(`\n## bench/${file}\n`);
  execFileSync('npx', ['ts-node', '--transpile-only', '--project', 'tsconfig.dev.json', '-r', 'tsconfig-paths/register', path.join('bench', file)], {
    env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.dev.json' },
    stdio: 'inherit',
    cwd: path.join(__dirname, '..'),
  });
}
