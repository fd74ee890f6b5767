import * as fs from 'fs';
import * as path from 'path';
import { rulesMarkdown } from '../tools/nag';

/**
 * Writes RULES.md from the pack's own rule table (`npx projen rules`). With `--check`, fails when
 * the committed file differs instead of writing it.
 */
const file = path.join(__dirname, '..', 'RULES.md');
const expected = rulesMarkdown();
if (process.argv.includes('--check')) {
  const actual = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (actual !== expected) {
    console.error('RULES.md is out of date: run `npx projen rules` and commit it.');
    process.exit(1);
  }
} else {
  fs.writeFileSync(file, expected);
  console.log(`Wrote ${path.relative(process.cwd(), file)}`);
}
