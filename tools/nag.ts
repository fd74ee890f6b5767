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

/**
 * Registers every pack with the app, so `app.synth()` (and `cdk synth`) fails on any finding: ours as a
 * CI gate (`failOnWarnings`), since the examples must pass without a warning either.
 */
export function addNagPacks(app: App): void {
  Validations.of(app).addPlugins(new DynamoDBBlueprintChecks(app, { failOnWarnings: true }),
    ...allNagPacks().filter((p) => !(p instanceof DynamoDBBlueprintChecks)));
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

/**
 * RULES.md, built from the pack's own rule table (ids, levels, info, explanation and fix strings):
 * `npx projen rules` writes it, and a test fails when the committed file differs.
 */
export function rulesMarkdown(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rules = DynamoDBBlueprintChecks.rules();
  return [
    '# DynamoDBBlueprintChecks rules',
    '',
    '<!-- Generated from DynamoDBBlueprintChecks.rules() by `npx projen rules`; do not edit by hand. -->',
    '',
    '"Reported as" is the severity of the rule\'s findings: an unacknowledged `error` fails synthesis; a',
    '`warning` is printed with its fix and synthesis continues (`failOnWarnings: true` fails on it too).',
    'The "Fix" column is the `fix` each finding carries (`suggestedFix` in `cdk.out/validation-report.json`).',
    'Advisory rules run only with `includeAdvisoryRules: true`. "Also reported by" names the rules of',
    'cdk-nag\'s own packs that report the same problem; `skipRulesCoveredByCdkNagPacks: true` skips ours',
    'there, so that one problem needs one acknowledgment. See [docs/rule-pack.md](docs/rule-pack.md).',
    '',
    `${rules.length} rules, ${rules.filter((r) => r.advisory).length} of them advisory.`,
    '',
    '| Rule ID | Reported as | Runs | Rule | Cause | Explanation | Fix | Also reported by |',
    '|---|---|---|---|---|---|---|---|',
    ...rules.map((r) => {
      const covered = r.coveredBy.length === 0 ? '-'
        : `${r.coveredBy.join(', ')}${r.coveredOnResourceType ? ` (on ${r.coveredOnResourceType} only)` : ''}`;
      return `| ${r.ruleId} | ${r.reportedSeverity} | ${r.advisory ? 'advisory' : 'always'} | ${r.ruleName} | ${cell(r.info)} | ${cell(r.explanation)} | ${cell(r.fix)} | ${covered} |`;
    }),
    '',
  ].join('\n');
}
