import * as fs from 'fs';
import * as path from 'path';
import { listExamples, synthExample } from '../../tools/examples';

export const title = 'Access patterns: checked at synth, reported in the cloud assembly';

const ROOT = path.join(__dirname, '..', '..');

export async function run(): Promise<void> {
  for (const example of listExamples()) {
    const outdir = path.join(ROOT, 'cdk.out', example.name);
    const { assembly } = synthExample(example, { outdir });
    const reports = fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.access-patterns.md')).sort();
    if (reports.length === 0) {
      console.log(`${example.name}: no access patterns declared\n`);
      continue;
    }
    for (const file of reports) {
      const report = path.join(assembly.directory, file);
      // The path printed is the file the reader opens next: it must exist.
      if (!fs.existsSync(report)) {
        throw new Error(`the access-pattern report ${report} was not written`);
      }
      console.log(`${example.name}: ${path.relative(ROOT, report)}\n`);
      console.log(fs.readFileSync(report, 'utf8'));
    }
  }
}
