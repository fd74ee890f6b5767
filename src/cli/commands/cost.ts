import * as fs from 'fs';
import { BillingMode, TableClass } from 'aws-cdk-lib/aws-dynamodb';
import { Command, Option } from 'commander';
import { assumptions, parseNumber, parseRateFlag, parseSizeFlag, print } from './options';
import { formatAmount } from '../../capacity/format';
import { validateItemSize } from '../../capacity/item-size-validation';
import { CostEstimate, ModeCost } from '../../cost/cost-estimate';
import { CostEstimator } from '../../cost/cost-estimator';
import { IndexWorkload } from '../../cost/cost-workload';
import { PriceTable } from '../../cost/price-table';

interface CostOptions {
  readonly reads: string;
  readonly writes: string;
  readonly itemSize: string;
  readonly itemsPerRead?: string;
  readonly strongReads?: string;
  readonly transactionalWrites?: string;
  readonly storage?: string;
  readonly itemCount?: string;
  readonly gsi: string[];
  readonly lsi: string[];
  readonly pitr: boolean;
  readonly contributorInsights: boolean;
  readonly customerManagedKeys?: string;
  readonly keyCallers?: string;
  readonly replicas?: string;
  readonly region?: string;
  readonly targetUtilization?: string;
  readonly minCapacity?: string;
  readonly unpredictable?: boolean;
  readonly prices?: string;
  readonly tableClass?: string;
  readonly json?: boolean;
}

/** The table classes `--table-class` takes, as a user writes them and as CloudFormation does. */
const TABLE_CLASSES: Record<string, TableClass> = {
  'standard': TableClass.STANDARD,
  'standard-ia': TableClass.STANDARD_INFREQUENT_ACCESS,
  'STANDARD': TableClass.STANDARD,
  'STANDARD_INFREQUENT_ACCESS': TableClass.STANDARD_INFREQUENT_ACCESS,
};

const collect = (value: string, previous: string[]) => [...previous, value];

/** `cdk-dynamodb-blueprints cost`: the monthly cost of a workload, on-demand against provisioned. */
export function registerCostCommand(program: Command): void {
  program.command('cost')
    .description('Monthly cost of a table workload: on-demand against provisioned with auto scaling, the break-even point and a recommendation.')
    .requiredOption('--reads <rate>', 'average reads, with a unit: 400/s, 30000/min (each a GetItem, or a Query of --items-per-read items)')
    .requiredOption('--writes <rate>', 'average item writes, with a unit: 60/s, 3600/min')
    .requiredOption('--item-size <size>', 'size of one item, with a unit: B, KB, MB or GB (1KB = 1,024 bytes)')
    .option('--items-per-read <n>', 'items one read returns (a Query sums them before rounding to 4 KB)')
    .option('--strong-reads <share>', 'share of reads that are strongly consistent, 0 to 1')
    .option('--transactional-writes <share>', 'share of writes made in transactions, 0 to 1')
    .option('--storage <size>', 'table data, with a unit: B, KB, MB or GB (50GB); index storage is derived')
    .option('--item-count <n>', 'number of items, instead of --storage')
    .option('--gsi <name:entrySize[:writesPerItemWrite[:readShare[:itemsPerRead]]]>', 'a global secondary index, e.g. byAssignee:300B:1.2:0.3:20 (repeatable)', collect, [])
    .option('--lsi <name:entrySize[:writesPerItemWrite[:readShare[:itemsPerRead]]]>', 'a local secondary index (repeatable)', collect, [])
    .option('--no-pitr', 'point-in-time recovery is off')
    .option('--no-contributor-insights', 'contributor insights is off (BlueprintTable turns it on for the table and every GSI)')
    .option('--customer-managed-keys <n>', 'customer managed KMS keys of the table (BlueprintTable creates one; default: one per region, 0 for an AWS owned key)')
    .option('--key-callers <n>', 'IAM roles calling the table all month: each costs 12 KMS requests an hour per key', '1')
    .option('--replicas <n>', 'replica regions besides the table\'s own (a global table)')
    .option('--region <region>', 'the region whose prices apply', 'us-east-1')
    .option('--target-utilization <percent>', 'auto scaling target utilization, 20 to 90', '70')
    .option('--min-capacity <units>', 'auto scaling minimum of each read and write target', '1')
    .addOption(new Option('--unpredictable', 'the traffic comes in sudden spikes, or is not known yet'))
    .option('--table-class <class>', 'the table class to price: standard or standard-ia (the other is compared in the advice)', 'standard')
    .option('--prices <file>', 'a JSON price table ({ effectiveDate, source, regions: [...] }) replacing the built-in one')
    .option('--json', 'print JSON')
    .action((options: CostOptions, command: Command) => {
      const estimate = CostEstimator.estimate({
        readsPerSecond: parseRateFlag('--reads', options.reads)!,
        writesPerSecond: parseRateFlag('--writes', options.writes)!,
        itemSizeBytes: validateItemSize('--item-size', parseSizeFlag('--item-size', options.itemSize)!),
        itemsPerRead: parseNumber('--items-per-read', options.itemsPerRead, { min: 1, integer: true }),
        stronglyConsistentReadShare: parseNumber('--strong-reads', options.strongReads, { max: 1 }),
        transactionalWriteShare: parseNumber('--transactional-writes', options.transactionalWrites, { max: 1 }),
        storageGb: options.storage === undefined ? undefined : parseSizeFlag('--storage', options.storage)! / 1024 ** 3,
        itemCount: parseNumber('--item-count', options.itemCount, { integer: true }),
        indexes: [...options.gsi.map((g) => parseIndex('--gsi', g, false)), ...options.lsi.map((l) => parseIndex('--lsi', l, true))],
        pointInTimeRecovery: options.pitr,
        contributorInsights: options.contributorInsights,
        customerManagedKeys: parseNumber('--customer-managed-keys', options.customerManagedKeys, { integer: true }),
        encryptionKeyCallers: parseNumber('--key-callers', options.keyCallers, { integer: true }),
        replicaRegions: parseNumber('--replicas', options.replicas, { integer: true }),
        region: options.region,
        targetUtilizationPercent: parseNumber('--target-utilization', options.targetUtilization, { min: 20, max: 90 }),
        minimumCapacityUnits: parseNumber('--min-capacity', options.minCapacity, { min: 1, integer: true }),
        predictableTraffic: !options.unpredictable,
        priceTable: options.prices === undefined ? undefined : readPrices(options.prices),
        tableClass: parseTableClass(options.tableClass),
      });
      const assumed = assumptions(command, [
        ['--region', `${options.region} (its prices)`],
        ['--target-utilization', `${options.targetUtilization}%`],
        ['--min-capacity', `${options.minCapacity} unit(s)`],
        ['--customer-managed-keys', 'one per region (BlueprintTable\'s own key)'],
        ['--key-callers', `${options.keyCallers} role(s)`],
      ]);
      if (options.storage === undefined && options.itemCount === undefined) {
        assumed.unshift('Assumed: no stored data (0 GB), since neither --storage nor --item-count is given: storage and point-in-time recovery (both per GB) are priced at 0.');
      }
      if (options.json) {
        print(command, JSON.stringify(estimate, null, 2));
        assumed.forEach((line) => command.configureOutput().writeErr!(`${line}\n`));
      } else {
        print(command, [describe(estimate), '', ...assumed].join('\n'));
      }
    });
}

function parseIndex(flag: string, spec: string, local: boolean): IndexWorkload {
  const [indexName, size, writes, readShare, items, ...rest] = spec.split(':');
  if (!indexName || size === undefined || rest.length > 0) {
    throw new Error(`\`${flag}\` is '${spec}': write name:entrySize[:writesPerItemWrite[:readShare[:itemsPerRead]]], for example byAssignee:300B:1:0.3:20.`);
  }
  return {
    indexName,
    entrySizeBytes: validateItemSize(`${flag} ${indexName} entry size`, parseSizeFlag(flag, size)!),
    writesPerItemWrite: parseNumber(`${flag} ${indexName} writes per item write`, writes, { max: 2 }),
    readShare: parseNumber(`${flag} ${indexName} read share`, readShare, { max: 1 }),
    itemsPerRead: parseNumber(`${flag} ${indexName} items per read`, items, { min: 1, integer: true }),
    local: local ? true : undefined,
  };
}

function parseTableClass(value: string | undefined): TableClass | undefined {
  if (value === undefined) {
    return undefined;
  }
  const tableClass = TABLE_CLASSES[value];
  if (tableClass === undefined) {
    throw new Error(`\`--table-class\` is '${value}': use standard or standard-ia.`);
  }
  return tableClass;
}

function readPrices(file: string): PriceTable {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`\`--prices\` is '${file}', which could not be read as JSON: ${err instanceof Error ? err.message : err}`);
  }
  return PriceTable.fromJson(json);
}

function describe(e: CostEstimate): string {
  const row = (label: string, od: number, pr: number) => `  ${label.padEnd(24)}${formatAmount(od).padStart(14)}${formatAmount(pr).padStart(14)}`;
  const lines = (od: ModeCost, pr: ModeCost) => [
    row('reads', od.readCost, pr.readCost),
    row('writes', od.writeCost, pr.writeCost),
    row('replication', od.replicationCost, pr.replicationCost),
    row('storage', od.storageCost, pr.storageCost),
    row('point-in-time recovery', od.pointInTimeRecoveryCost, pr.pointInTimeRecoveryCost),
    row('contributor insights', od.contributorInsightsCost, pr.contributorInsightsCost),
    row('KMS keys', od.encryptionKeyCost, pr.encryptionKeyCost),
    row('total per month', od.monthlyCost, pr.monthlyCost),
  ];
  return [
    `Prices: ${e.region}, ${e.currency}, dated ${e.priceDate} (${e.priceSource})`,
    `Consumed: ${e.readUnitsPerSecond} read units/s, ${e.writeUnitsPerSecond} write units/s; storage ${e.storageGb} GB per region`,
    `Provisioned with auto scaling: ${e.provisioned.readCapacityUnits} RCU, ${e.provisioned.writeCapacityUnits} WCU`,
    '',
    `  ${e.currency.padEnd(24)}${'on-demand'.padStart(14)}${'provisioned'.padStart(14)}`,
    ...lines(e.onDemand, e.provisioned),
    '',
    `Break-even: provisioned costs less above ${e.breakEvenUtilizationPercent}% average utilization${e.breakEvenWritesPerSecond === undefined ? '' : `, or above about ${e.breakEvenWritesPerSecond} writes/s and ${e.breakEvenReadsPerSecond} reads/s at this mix`}.`,
    `Recommended: ${e.recommendedMode === BillingMode.PAY_PER_REQUEST ? 'on-demand' : 'provisioned'}. ${e.reason}`,
    '',
    `Table class priced: ${className(e.tableClass)}.`,
    e.tableClassAdvice === undefined
      ? 'Table class advice: none, the price table has no Standard-IA prices for this region.'
      : `Recommended table class: ${className(e.tableClassAdvice.recommendedTableClass)}. ${e.tableClassAdvice.reason}`,
    '',
    `Reserved capacity (prices ${e.reservedCapacityPriceSource}):`,
    ...e.reservedCapacity.filter((r) => r.readBlocks + r.writeBlocks > 0).map((r) => `  ${r.termYears}-year: ${r.readBlocks} x 100 RCU, ${r.writeBlocks} x 100 WCU: ${formatAmount(r.upfrontCost)} upfront + ${r.hourlyCost} an hour; `
      + `provisioned then costs ${formatAmount(r.monthlyCost)} a month (${formatAmount(r.monthlySavings)} less); each block pays when in use over ${r.readBreakEvenUtilizationPercent}% (reads) / ${r.writeBreakEvenUtilizationPercent}% (writes) of the term`),
    `  ${e.reservedCapacityNote}`,
    '',
    `Contributor insights: ${e.contributorInsightsRules} rules, ${e.contributorInsightsMillionEventsPerMonth} million events a month; prices ${e.contributorInsightsPriceSource}`,
    `KMS keys: ${e.customerManagedKeys} customer managed key(s), ${e.kmsRequestsPerMonth} requests a month; prices ${e.encryptionKeyPriceSource}`,
  ].join('\n');
}

function className(tableClass: TableClass): string {
  return tableClass === TableClass.STANDARD ? 'Standard' : 'Standard-IA';
}
