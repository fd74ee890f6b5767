import * as fs from 'fs';
import * as path from 'path';

/**
 * Reads what cfn-guard (AWS Control Tower rules), cfn-lint and Checkov reported on the example
 * templates (written by scripts/ci/security-controls.sh into one folder), prints every finding,
 * and fails when one of them is a blocker:
 * - any failing Control Tower rule, but the exceptions listed below (printed on every run, and
 *   blocking when one no longer matches a finding);
 * - any cfn-lint error (warnings are listed);
 * - any failed Checkov check on a resource kind of this library;
 * - any Checkov suppression (`Metadata.checkov.skip`) without a comment.
 *
 * Usage: security-report.ts <folder> <guard rules folder>
 */

/** Resource kinds the library creates, on which Checkov must report no failed check. */
const CHECKOV_BLOCKING_PREFIXES = ['AWS::DynamoDB::', 'AWS::KMS::', 'AWS::SQS::', 'AWS::Kinesis::', 'AWS::DAX::', 'AWS::Backup::', 'AWS::CloudTrail::', 'AWS::S3::', 'AWS::EC2::VPCEndpoint'];

interface Finding {
  readonly template: string;
  readonly resource: string;
  readonly rule: string;
  readonly message: string;
}

/** A Control Tower finding accepted on purpose: the resource by its construct path, the control, and why. */
interface ControlException {
  /** The resource's construct path, without the leading slash: it stays when a logical id's hash changes. */
  readonly resource: string;
  /** The control id, e.g. `CT.S3.PR.2`. */
  readonly control: string;
  readonly reason: string;
}

/**
 * cfn-guard reads no suppressions from templates, so the Control Tower findings that cannot be fixed are
 * listed here, each with its reason. See docs/security-controls.md.
 */
const CONTROL_TOWER_EXCEPTIONS: ControlException[] = [{
  resource: 'Operations/TaskDataEvents/AccessLogs/Resource',
  control: 'CT.S3.PR.2',
  reason: 'TableDataEvents\'s access-log bucket receives the trail bucket\'s server access logs: it is the end of the logging chain. '
    + 'Logging it to itself loops (S3 advises against it), logging it back to the trail bucket loops the same way, and a third bucket would only move the end. '
    + 'An app with a central access-log bucket (a log archive account\'s) gives it as `serverAccessLogsBucket`, and the construct creates no such bucket.',
}];

/** A template path relative to the repository; the tools get absolute paths (cfn-guard drops the leading slash). */
function relative(file: string): string {
  return path.relative(process.cwd(), path.isAbsolute(file) ? file : `/${file}`);
}

/** Control Tower ids (CT.KMS.PR.3) by guard rule name (KMS_CREATE_GRANT_AWS_SERVICE_CHECK). */
function controlIds(rulesDir: string): Map<string, string> {
  const ids = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(file);
      } else if (entry.name.endsWith('.guard')) {
        const text = fs.readFileSync(file, 'utf8');
        const rule = /^rule (\w+) when/m.exec(text)?.[1];
        const control = /\[(CT\.[A-Z0-9]+\.PR\.\d+)\]/.exec(text)?.[1];
        if (rule && control) {
          ids.set(rule.toUpperCase(), control);
        }
      }
    }
  };
  walk(rulesDir);
  return ids;
}

interface GuardFinding extends Finding {
  /** The control id (`CT.S3.PR.2`), or the guard rule name when the rule names no control. */
  readonly control: string;
  /** The resource's construct path, when the template records it. */
  readonly constructPath?: string;
}

/**
 * The construct path of each logical id of a template, from the cloud assembly it was synthesized into
 * (the stack's metadata file, which records `aws:cdk:logicalId` by path).
 */
function constructPaths(template: string): Map<string, string> {
  const paths = new Map<string, string>();
  const dir = path.dirname(template);
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    return paths;
  }
  const artifacts = Object.values(JSON.parse(fs.readFileSync(manifestFile, 'utf8')).artifacts ?? {}) as any[];
  const stack = artifacts.find((a) => a.properties?.templateFile === path.basename(template));
  const metadataFile = stack?.additionalMetadataFile;
  const metadata: Record<string, Array<{ type: string; data: unknown }>> = stack?.metadata
    ?? (metadataFile ? JSON.parse(fs.readFileSync(path.join(dir, metadataFile), 'utf8')) : {});
  for (const [constructPath, entries] of Object.entries(metadata)) {
    for (const entry of entries) {
      if (entry.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
        paths.set(entry.data, constructPath.replace(/^\//, ''));
      }
    }
  }
  return paths;
}

/** One finding per template, rule and resource (cfn-guard's SARIF has one result per failed clause). */
function guardFindings(sarifFile: string, rulesDir: string): GuardFinding[] {
  const sarif = JSON.parse(fs.readFileSync(sarifFile, 'utf8'));
  const ids = controlIds(rulesDir);
  const templates = new Map<string, Map<string, string>>();
  const byKey = new Map<string, GuardFinding>();
  for (const result of sarif.runs?.[0]?.results ?? []) {
    const uri = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '?';
    const template = relative(uri);
    const resource = /\/Resources\/([^/\]]+)/.exec(result.message?.text ?? '')?.[1] ?? '?';
    const control = ids.get(result.ruleId) ?? result.ruleId;
    if (!templates.has(template)) {
      templates.set(template, constructPaths(template));
    }
    const constructPath = templates.get(template)!.get(resource);
    byKey.set(`${template} ${control} ${resource}`, {
      template, resource, control, constructPath, rule: `${control} (${result.ruleId})`, message: constructPath ? `at ${constructPath}` : '',
    });
  }
  return [...byKey.values()];
}

function isException(finding: GuardFinding, exception: ControlException): boolean {
  return finding.control === exception.control && finding.constructPath === exception.resource;
}

function cfnLintFindings(jsonFile: string): { errors: Finding[]; warnings: Finding[] } {
  const matches = JSON.parse(fs.readFileSync(jsonFile, 'utf8') || '[]') as Array<{
    Rule: { Id: string }; Level: string; Message: string; Filename: string; Location: { Path?: Array<string | number> };
  }>;
  const finding = (m: typeof matches[number]): Finding => ({
    template: relative(m.Filename),
    resource: m.Location.Path?.[0] === 'Resources' ? String(m.Location.Path[1]) : (m.Location.Path ?? []).join('/'),
    rule: m.Rule.Id,
    message: m.Message,
  });
  return {
    errors: matches.filter((m) => m.Level === 'Error').map(finding),
    warnings: matches.filter((m) => m.Level !== 'Error').map(finding),
  };
}

interface CheckovCheck {
  check_id: string;
  check_name: string;
  resource: string;
  file_abs_path: string;
  check_result: { result: string; suppress_comment?: string };
}

function checkovResults(jsonFile: string): { failed: CheckovCheck[]; skipped: CheckovCheck[]; passed: number } {
  const raw = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  const reports = (Array.isArray(raw) ? raw : [raw]).filter((r) => r.results);
  return {
    failed: reports.flatMap((r) => r.results.failed_checks),
    skipped: reports.flatMap((r) => r.results.skipped_checks),
    passed: reports.reduce((n, r) => n + r.results.passed_checks.length, 0),
  };
}

function print(title: string, findings: Finding[]): void {
  console.log(`\n${title}: ${findings.length}`);
  for (const f of findings) {
    console.log(`  ${f.template} ${f.resource}: ${f.rule}${f.message ? ` ${f.message}` : ''}`);
  }
}

function main(): void {
  const [folder, rulesDir] = process.argv.slice(2);
  if (!folder || !rulesDir) {
    throw new Error('usage: security-report.ts <folder> <guard rules folder>');
  }
  const guard = guardFindings(path.join(folder, 'cfn-guard.sarif'), rulesDir);
  const lint = cfnLintFindings(path.join(folder, 'cfn-lint.json'));
  const checkov = checkovResults(path.join(folder, 'checkov.json'));
  const blocking = (c: CheckovCheck) => CHECKOV_BLOCKING_PREFIXES.some((p) => c.resource.startsWith(p));
  const asFinding = (c: CheckovCheck): Finding => ({
    template: relative(c.file_abs_path), resource: c.resource, rule: c.check_id, message: c.check_name,
  });

  const excepted = guard.filter((f) => CONTROL_TOWER_EXCEPTIONS.some((e) => isException(f, e)));
  const failing = guard.filter((f) => !excepted.includes(f));
  // An exception that matches nothing has outlived its reason (the resource moved or was fixed): it blocks.
  const unused = CONTROL_TOWER_EXCEPTIONS.filter((e) => !guard.some((f) => isException(f, e)));
  print('Control Tower rules failed (cfn-guard)', failing);
  console.log(`\nControl Tower exceptions (listed in scripts/ci/security-report.ts, not blocking): ${excepted.length}`);
  for (const f of excepted) {
    const exception = CONTROL_TOWER_EXCEPTIONS.find((e) => isException(f, e))!;
    console.log(`  ${f.template} ${f.resource}: ${f.rule} at ${exception.resource}\n    because: ${exception.reason}`);
  }
  print('Control Tower exceptions that match no finding (blocking: remove them)', unused.map((e) => ({
    template: '-', resource: e.resource, rule: e.control, message: '',
  })));
  print('cfn-lint errors', lint.errors);
  print('cfn-lint warnings (listed, not blocking)', lint.warnings);
  print('Checkov failed checks on the library\'s resource kinds', checkov.failed.filter(blocking).map(asFinding));
  print('Checkov failed checks on other resource kinds (listed, not blocking)', checkov.failed.filter((c) => !blocking(c)).map(asFinding));
  print('Checkov checks suppressed in the templates', checkov.skipped.map((c) => ({ ...asFinding(c), message: `(${c.check_result.suppress_comment ?? 'no reason given'})` })));
  console.log(`\nCheckov checks passed: ${checkov.passed}`);

  // A suppression says why, as a cdk-nag acknowledgment does.
  const unexplained = checkov.skipped.filter((c) => !c.check_result.suppress_comment?.trim());
  print('Checkov suppressions without a reason (blocking)', unexplained.map(asFinding));
  const blockers = failing.length + unused.length + lint.errors.length + checkov.failed.filter(blocking).length + unexplained.length;
  if (blockers > 0) {
    console.error(`\n${blockers} blocking finding(s): fix them, or suppress a finding that is wrong for a resource in code, with its reason (docs/security-controls.md).`);
    process.exit(1);
  }
  console.log('\nNo blocking finding.');
}

main();
