import { DynamoDBBlueprintChecks } from '../../src';
import { listExamples, synthExample } from '../../tools/examples';
import { allNagPacks, FAILING_EXAMPLES, NagFinding, nagFindings } from '../../tools/nag';

export const title = 'Rule pack: DynamoDBBlueprintChecks on the example apps';

const RULES = new Map(DynamoDBBlueprintChecks.rules().map((r) => [r.ruleId, r]));
const PREFIX = 'DynamoDBBlueprint-';

export async function run(): Promise<void> {
  const packNames = allNagPacks().map((p) => p.name).join(', ');
  for (const example of listExamples()) {
    const { app } = synthExample(example);
    const expectedToFail = FAILING_EXAMPLES.includes(example.name);
    // Examples meant to fail show this pack's findings; the others must pass all four packs.
    const findings = expectedToFail ? nagFindings(app, [new DynamoDBBlueprintChecks()]) : nagFindings(app);
    if (!expectedToFail && findings.length > 0) {
      console.log(table(findings));
      throw new Error(`examples/${example.name} has ${findings.length} unacknowledged finding(s): fix or acknowledge them with a reason.`);
    }
    console.log(expectedToFail
      ? `${example.name}: ${findings.length} finding(s) of DynamoDBBlueprintChecks (ids without the ${PREFIX} prefix), as intended`
      : `${example.name}: 0 findings (${packNames})`);
    if (findings.length > 0) {
      console.log(table(findings));
    }
  }
}

/** A plain-text table: rule id, level, resource (path below the stack), the rule's name. */
function table(findings: NagFinding[]): string {
  const rows = findings.map((f) => {
    const rule = RULES.get(f.ruleId.replace(/\[.*$/, ''));
    const resource = f.path.split('/').slice(1)
      .filter((segment) => segment !== 'Resource' && segment !== 'DefaultPolicy')
      // Event source mapping ids embed the whole table path.
      .map((segment) => segment.replace(/^(\w+EventSource):.*$/, '$1'))
      .join('/');
    return [f.ruleId.replace(PREFIX, ''), rule?.level ?? f.severity, resource, rule?.ruleName ?? f.description];
  });
  const header = ['rule', 'level', 'resource', 'check'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
