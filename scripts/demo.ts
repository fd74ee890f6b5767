import * as fs from 'fs';
import * as path from 'path';

/**
 * `npm run demo`: runs every section under scripts/demo/ in file-name order.
 * A section is a module exporting `title` and `run(): Promise<void>`; a failing section fails the demo.
 *
 * The output holds the sections only: aws-cdk-lib announces on stderr every asset it bundles
 * ("Bundling asset TaskTracker/OpenTaskCounter/Code/Stage..."), and those lines are shown only when the
 * section fails. Every repository path the demo prints must exist when it ends, or the demo fails.
 */
const ROOT = path.join(__dirname, '..');

/** A repository path in the output: not part of a URL, not a glob or a placeholder. */
const PRINTED_PATH = /(?<![\w./:-])((?:cdk\.out|examples|dist|scripts|docs|src|test|tools|bench)\/[\w.\/-]*[\w])(?![\w*<\/]|\.[\w*<])/g;

const BUNDLING = /^Bundling asset .*\.\.\.\r?\n$/;

async function main(): Promise<void> {
  const dir = path.join(__dirname, 'demo');
  const only = process.argv.slice(2);
  const sections = fs.readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
  const printed = recordStdout();
  for (const file of sections) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const section = require(path.join(dir, file)) as { title: string; run: () => Promise<void> };
    const started = Date.now();
    console.log(`\n## ${section.title}\n`);
    await withBundlingLinesHeld(() => section.run());
    console.log(`\n(${file}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  const missing = [...new Set([...printed().matchAll(PRINTED_PATH)].map((m) => m[1]))]
    .filter((p) => !fs.existsSync(path.join(ROOT, p)));
  if (missing.length > 0) {
    throw new Error(`The demo printed paths that do not exist: ${missing.join(', ')}`);
  }
}

/** Keeps a copy of everything written to stdout from now on. */
function recordStdout(): () => string {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: any[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  return () => chunks.join('');
}

/** Runs `run` with aws-cdk-lib's "Bundling asset" lines held back, and writes them out if it fails. */
async function withBundlingLinesHeld(run: () => Promise<void>): Promise<void> {
  const held: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: any[]) => {
    if (typeof chunk === 'string' && BUNDLING.test(chunk)) {
      held.push(chunk);
      return true;
    }
    return write(chunk, ...rest);
  }) as typeof process.stderr.write;
  try {
    await run();
  } catch (err) {
    held.forEach((line) => write(line));
    throw err;
  } finally {
    process.stderr.write = write;
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
