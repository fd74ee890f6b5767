import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, StreamViewType, Table, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { BlueprintTable, IndexProjection, MigrationCheck, MigrationGuard } from '../src';

/**
 * Times `MigrationCheck.comparePaths` on two 200-resource cloud assemblies (4 stacks, 160 tables:
 * BlueprintTables with their KMS keys, TableV2s and Tables), the second with GSIs, streams and
 * protections changed. Synthesis is not timed; loading and comparing both assemblies is.
 *
 * Then times the synthesis guard, `MigrationGuard`, on a 200-table app (4 stacks of 20 BlueprintTables,
 * 15 TableV2s and 15 Tables): `validate()` alone, and a whole `app.synth()` with and without it.
 *
 * Run: npm run bench -- migration
 */
const STACKS = 4;
const RUNS = 20;

function synthesize(changed: boolean, options: { blueprintTables?: number; guard?: MigrationGuard } = {}): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-migration-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false, analyticsReporting: false });
  if (options.guard) {
    Validations.of(app).addPlugins(options.guard);
  }
  for (let s = 0; s < STACKS; s++) {
    const stack = new Stack(app, `Service${s}`, { env: { account: '123456789012', region: 'us-east-1' } });
    for (let i = 0; i < (options.blueprintTables ?? 10); i++) {
      const indexes = changed && i % 3 === 0 ? ['byStatus', 'byCity', 'byDay'] : ['byStatus'];
      new BlueprintTable(stack, `Orders${i}`, {
        partitionKey: { name: 'PK', type: AttributeType.STRING },
        sortKey: { name: 'SK', type: AttributeType.STRING },
        blueprintGlobalSecondaryIndexes: indexes.map((name) => ({
          indexName: name,
          partitionKey: { name, type: AttributeType.STRING },
          projection: IndexProjection.keysOnly(),
        })),
        deletionProtection: !(changed && i === 1),
      });
    }
    for (let i = 0; i < 15; i++) {
      new TableV2(stack, `Events${i}`, {
        partitionKey: { name: 'id', type: AttributeType.STRING },
        dynamoStream: changed && i % 5 === 0 ? StreamViewType.NEW_AND_OLD_IMAGES : StreamViewType.NEW_IMAGE,
      });
      new Table(stack, `Legacy${i}`, {
        partitionKey: { name: 'id', type: changed && i === 7 ? AttributeType.NUMBER : AttributeType.STRING },
      });
    }
  }
  app.synth();
  return outdir;
}

function countResources(dir: string): number {
  return fs.readdirSync(dir)
    .filter((f) => f.endsWith('.template.json'))
    .reduce((n, f) => n + Object.keys(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf-8')).Resources ?? {}).length, 0);
}

function main(): void {
  const before = synthesize(false);
  const after = synthesize(true);
  const resources = countResources(after);

  const times: number[] = [];
  let report = MigrationCheck.comparePaths(before, after);
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint();
    report = MigrationCheck.comparePaths(before, after);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  // The whole CLI process (node start, module loading, the check), when the library is compiled.
  const cli = path.join(__dirname, '..', 'lib', 'cli', 'main.js');
  let cliMs: number | undefined;
  if (fs.existsSync(cli)) {
    const started = Date.now();
    const run = spawnSync(process.execPath, [cli, 'check-migration', before, after, '--json'], { encoding: 'utf-8' });
    cliMs = Date.now() - started;
    if (run.status !== 1) {
      throw new Error(`check-migration exited ${run.status}, expected 1: ${run.stderr}`);
    }
  }
  const result = {
    resources,
    stacks: report.stacksCompared,
    tables: report.tablesCompared,
    findings: report.findings.length,
    deploymentsInPlan: report.plan.length,
    runs: RUNS,
    medianMs: Number(times[Math.floor(RUNS / 2)].toFixed(1)),
    minMs: Number(times[0].toFixed(1)),
    maxMs: Number(times[RUNS - 1].toFixed(1)),
    cliProcessMs: cliMs,
  };
  console.log(`check-migration on a ${resources}-resource assembly (${result.stacks} stacks, ${result.tables} tables, ${result.findings} findings, ${result.deploymentsInPlan}-deployment plan): median ${result.medianMs} ms, min ${result.minMs} ms, max ${result.maxMs} ms over ${RUNS} runs; `
    + (cliMs === undefined ? 'run `npx projen compile` to time the CLI process too' : `the CLI process (node lib/cli/main.js) took ${cliMs} ms`));
  const out = path.join(__dirname, 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'migration.json'), `${JSON.stringify(result, null, 2)}\n`);
  fs.rmSync(before, { recursive: true, force: true });
  fs.rmSync(after, { recursive: true, force: true });
  benchGuard();
}

/** The synthesis guard on a 200-table app whose baseline is the same app: the cost of a passing synth. */
function benchGuard(): void {
  const deployed = synthesize(false, { blueprintTables: 20 });
  const baseline = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-baseline-'));
  MigrationGuard.recordBaseline(deployed, baseline);
  const guard = new MigrationGuard({ baselineDirectory: baseline });
  const manifest = JSON.parse(fs.readFileSync(path.join(deployed, 'manifest.json'), 'utf-8'));
  const stackTemplates = Object.entries<any>(manifest.artifacts)
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([id, a]) => ({
      stackConstructPath: id,
      templatePath: path.join(deployed, a.properties.templateFile),
      accountId: undefined,
      region: undefined,
    }));
  const tables = stackTemplates.reduce((n, s) => n + Object.values<any>(JSON.parse(fs.readFileSync(s.templatePath, 'utf-8')).Resources)
    .filter((r) => String(r.Type).startsWith('AWS::DynamoDB::')).length, 0);
  const context = { stackTemplates, templatePaths: stackTemplates.map((s) => s.templatePath), appConstruct: new App() };
  const validateTimes: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint();
    const report = guard.validate(context);
    validateTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (!report.success) {
      throw new Error('the guard failed an unchanged app');
    }
  }
  validateTimes.sort((a, b) => a - b);
  const synthTimes = (withGuard: boolean) => [0, 1, 2].map(() => {
    const started = Date.now();
    const dir = synthesize(false, { blueprintTables: 20, guard: withGuard ? guard : undefined });
    const ms = Date.now() - started;
    fs.rmSync(dir, { recursive: true, force: true });
    return ms;
  }).sort((a, b) => a - b)[1];
  const without = synthTimes(false);
  const withGuard = synthTimes(true);
  const result = {
    tables,
    stacks: stackTemplates.length,
    validateRuns: RUNS,
    validateMedianMs: Number(validateTimes[Math.floor(RUNS / 2)].toFixed(1)),
    validateMaxMs: Number(validateTimes[RUNS - 1].toFixed(1)),
    synthMedianMsWithoutGuard: without,
    synthMedianMsWithGuard: withGuard,
  };
  console.log(`MigrationGuard on a ${tables}-table app (${result.stacks} stacks): validate() median ${result.validateMedianMs} ms, max ${result.validateMaxMs} ms over ${RUNS} runs; app.synth() median of 3: ${without} ms without the guard, ${withGuard} ms with it`);
  fs.writeFileSync(path.join(__dirname, 'results', 'migration-guard.json'), `${JSON.stringify(result, null, 2)}\n`);
  fs.rmSync(deployed, { recursive: true, force: true });
  fs.rmSync(baseline, { recursive: true, force: true });
}

main();
