import * as fs from 'fs';
import * as path from 'path';

/**
 * `npm run demo`: runs every section under scripts/demo/ in file-name order.
 * A section is a module exporting `title` and `run(): Promise<void>`; a failing section fails the demo.
 */
async function main(): Promise<void> {
  const dir = path.join(__dirname, 'demo');
  const only = process.argv.slice(2);
  const sections = fs.readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
  for (const file of sections) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const section = require(path.join(dir, file)) as { title: string; run: () => Promise<void> };
    const started = Date.now();
    console.log(`\n## ${section.title}\n`);
    await section.run();
    console.log(`\n(${file}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
