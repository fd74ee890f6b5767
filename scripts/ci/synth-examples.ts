import * as fs from 'fs';
import * as path from 'path';
import { listExamples, synthExample } from '../../tools/examples';

/**
 * Synthesizes every example app but the anti-patterns (which fail on purpose) into `<outdir>/<example>`
 * and prints the path of each stack template, one a line, for the tools that check templates.
 */
const SKIPPED = ['anti-patterns'];

const outRoot = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', 'cdk.out', 'security-controls'));
fs.rmSync(outRoot, { recursive: true, force: true });
for (const example of listExamples().filter((e) => !SKIPPED.includes(e.name))) {
  const outdir = path.join(outRoot, example.name);
  const { assembly } = synthExample(example, { outdir });
  for (const stack of assembly.stacks) {
    console.log(path.join(outdir, stack.templateFile));
  }
}
