import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { DynamoDBBlueprintChecks } from '../src';

/** One unacknowledged finding of one pack on one resource. */
export interface NagFinding {
  /** The pack's name, e.g. `DynamoDBBlueprintChecks`. */
  readonly pack: string;
  /** The full rule id, with the granular finding if any: `DynamoDBBlueprint-DDB9[Index::byStatus]`. */
  readonly ruleId: string;
  /** `error` or `warning` (cdk-nag reports Info findings as warnings). */
  readonly severity: string;
  /** The construct path of the resource. */
  readonly path: string;
  /** The rule's info sentence. */
  readonly description: string;
}

/**
 * Examples that exist to fail the packs (each of their constructs commits a mistake on purpose).
 * Every other example must pass every pack with no unacknowledged finding.
 */
export const FAILING_EXAMPLES = ['anti-patterns'];

/** The packs every example must pass: ours and the three general ones. */
export function allNagPacks(): NagPack[] {
  return [new DynamoDBBlueprintChecks(), new AwsSolutionsChecks(), new NIST80053R5Checks(), new HIPAASecurityChecks()];
}

/** Registers every pack with the app, so `app.synth()` (and `cdk synth`) fails on any finding. */
export function addNagPacks(app: App): void {
  Validations.of(app).addPlugins(...allNagPacks());
}

/** Runs packs over a construct tree and lists their unacknowledged findings, one per resource and rule id. */
export function nagFindings(scope: IConstruct, packs: NagPack[] = allNagPacks()): NagFinding[] {
  const findings: NagFinding[] = [];
  for (const pack of packs) {
    const report = pack.validateScope(scope);
    for (const violation of report.violations) {
      for (const resource of violation.violatingResources) {
        findings.push({
          pack: pack.name,
          ruleId: violation.ruleName,
          severity: violation.severity ?? 'error',
          path: resource.constructPath ?? '',
          description: violation.description,
        });
      }
    }
  }
  return findings;
}

/** The README's rules table, built from the pack's own info, explanation and fix strings. */
export function rulesMarkdownTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  return [
    '| Rule ID | Level | Rule | Cause | Explanation | Fix |',
    '|---|---|---|---|---|---|',
    ...DynamoDBBlueprintChecks.rules().map((r) =>
      `| ${r.ruleId} | ${r.level} | ${r.ruleName} | ${cell(r.info)} | ${cell(r.explanation)} | ${cell(r.fix)} |`),
  ].join('\n');
}
