/*
 * Adds what the README's first blocks show to an app made by `cdk init app --language typescript`: a
 * BlueprintTable in the generated stack, the rule pack registered in the generated app file. Edits the files
 * where a user would, so the template's own imports (`aws-cdk-lib/core`, NodeNext) stay as generated.
 * Usage: cdk-init-app.ts <lib/x-stack.ts> <bin/x.ts> (scripts/ci/compatibility.sh).
 */
import * as fs from 'fs';

const [stackFile, appFile] = process.argv.slice(2);

/** Inserts `code` after the first line matching `anchor`, or fails naming what the template no longer has. */
function insertAfter(file: string, anchor: RegExp, code: string, imports: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const at = lines.findIndex((line) => anchor.test(line));
  if (at < 0) {
    throw new Error(`${file} has no line matching ${anchor}: the cdk init template changed, update scripts/ci/cdk-init-app.ts`);
  }
  lines.splice(at + 1, 0, code);
  // The imports go first, after a `#!` line if there is one.
  lines.splice(lines[0].startsWith('#!') ? 1 : 0, 0, imports);
  fs.writeFileSync(file, lines.join('\n'));
}

insertAfter(stackFile, /^\s*super\(scope, id, props\);/, [
  "    new BlueprintTable(this, 'Orders', {",
  "      partitionKey: { name: 'PK', type: AttributeType.STRING },",
  "      sortKey: { name: 'SK', type: AttributeType.STRING },",
  '    });',
].join('\n'), [
  "import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';",
  "import { BlueprintTable } from 'cdk-dynamodb-blueprints';",
].join('\n'));

insertAfter(appFile, /^const app = new cdk\.App\(/, 'cdk.Validations.of(app).addPlugins(new DynamoDBBlueprintChecks(app));',
  "import { DynamoDBBlueprintChecks } from 'cdk-dynamodb-blueprints';");
