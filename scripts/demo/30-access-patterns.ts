import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listExamples, synthExample } from '../../tools/examples';

export const title = 'Access patterns: checked at synth, reported in the cloud assembly';

export async function run(): Promise<void> {
  const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'access-patterns-'));
  try {
    for (const example of listExamples()) {
      const { assembly } = synthExample(example, { outdir: path.join(outRoot, example.name) });
      const reports = fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.access-patterns.md')).sort();
      if (reports.length === 0) {
        console.log(`${example.name}: no access patterns declared\n`);
        continue;
      }
      for (const file of reports) {
        console.log(`${example.name}: cdk.out/${file}\n`);
        console.log(fs.readFileSync(path.join(assembly.directory, file), 'utf8'));
      }
    }
  } finally {
    fs.rmSync(outRoot, { recursive: true, force: true });
  }
}
