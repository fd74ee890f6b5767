import { Command, Option } from 'commander';
import { assumptions, failWithFindings, parseNumber, parseRateFlag, parseSizeFlag, print } from './options';
import { KeyDistribution, TimeBucket } from '../../access-patterns/key-distribution';
import { ReadConsistency } from '../../capacity/capacity-calculator';
import { formatKb, formatUnits } from '../../capacity/format';
import { validateItemSize } from '../../capacity/item-size-validation';
import { formatRate, textBars } from '../../heat/heat-chart';
import { HeatForecast } from '../../heat/heat-forecast';
import { KeyHeat } from '../../heat/key-heat';
import { HeatLevel, PartitionLimits } from '../../heat/partition-limits';

interface HeatOptions {
  readonly reads?: string;
  readonly writes?: string;
  readonly peakFactor?: string;
  readonly itemSize: string;
  readonly itemsPerRead?: string;
  readonly consistency?: string;
  readonly keys: string;
  readonly hottestShare?: string;
  readonly zipf?: string;
  readonly timeBucket?: string;
  readonly utilization?: string;
  readonly json?: boolean;
}

/** `cdk-dynamodb-blueprints heat`: the hottest key value's load against one partition's limits. */
export function registerHeatCommand(program: Command): void {
  program.command('heat')
    .description(`Hot-partition forecast for one partition key: the hottest value's read and write units per second at peak against one partition's ${formatRate(PartitionLimits.READ_UNITS_PER_SECOND)} RCU / ${formatRate(PartitionLimits.WRITE_UNITS_PER_SECOND)} WCU, and the write shards that bring it under.`)
    .option('--reads <rate>', 'average reads of the key, with a unit: 500/s, 30000/min')
    .option('--writes <rate>', 'average item writes to the key, with a unit: 200/s')
    .option('--peak-factor <factor>', 'the busiest second over the average, 1 to 1000', '1')
    .requiredOption('--item-size <size>', 'size of each item, with a unit (1KB = 1,024 bytes)')
    .option('--items-per-read <n>', 'items one read returns: 1 is a GetItem, more a Query', '1')
    .addOption(new Option('--consistency <consistency>', 'read consistency').choices(['eventual', 'strong']).default('eventual'))
    .requiredOption('--keys <n>', 'distinct partition-key values the requests use')
    .option('--hottest-share <share>', 'the hottest value takes this share of the requests, above 0 and at most 1')
    .option('--zipf <s>', 'Zipf over --keys values with exponent s (about 1 for popularity)')
    .addOption(new Option('--time-bucket <bucket>', 'a time-based key: every request of the current bucket on one value (--keys is then the buckets kept)').choices(['day', 'hour', 'month']))
    .option('--utilization <share>', `share of a partition's limits a value may use, above 0 and at most 1 (default ${PartitionLimits.DEFAULT_UTILIZATION})`)
    .addHelpText('after', '\nExit codes: 0 the hottest value stays within a partition\'s limits (a WARNING over the --utilization target included), 1 it goes over them (ERROR: it will throttle), 2 bad input.')
    .option('--json', 'print JSON')
    .action((options: HeatOptions, command: Command) => {
      const chosen = [['--hottest-share', options.hottestShare], ['--zipf', options.zipf], ['--time-bucket', options.timeBucket]].filter(([, v]) => v !== undefined);
      if (chosen.length > 1) {
        throw new Error(`${chosen.map(([f]) => `\`${f}\``).join(' and ')} are both given: choose one distribution (uniform over --keys when none is given).`);
      }
      const keys = parseNumber('--keys', options.keys, { min: 1, integer: true })!;
      const reads = parseRateFlag('--reads', options.reads);
      const writes = parseRateFlag('--writes', options.writes);
      if (reads === undefined && writes === undefined) {
        throw new Error('`--reads` and `--writes` are both missing: give the key\'s reads, writes or both, with a unit, for example --writes 200/s.');
      }
      const distribution = distributionOf(options, keys);
      const itemSizeBytes = validateItemSize('--item-size', parseSizeFlag('--item-size', options.itemSize)!);
      const heat = HeatForecast.forKey({
        readsPerSecond: reads,
        writesPerSecond: writes,
        peakFactor: parseNumber('--peak-factor', options.peakFactor, { min: 1, max: 1000 }),
        itemSizeBytes,
        itemsPerRead: parseNumber('--items-per-read', options.itemsPerRead, { min: 1, integer: true }),
        consistency: options.consistency === 'strong' ? ReadConsistency.STRONG : ReadConsistency.EVENTUAL,
        distribution,
        utilization: options.utilization === undefined ? undefined : utilizationOf(options.utilization),
      });
      const assumed = assumptions(command, [
        ['--peak-factor', '1 (the busiest second is the average)'],
        ...(reads === undefined ? [] : [
          ['--consistency', 'eventual'] as [string, string],
          ['--items-per-read', '1 (a GetItem)'] as [string, string],
        ]),
        ['--utilization', `${PartitionLimits.DEFAULT_UTILIZATION} of a partition's limits`],
      ]);
      if (options.json) {
        const json = { distribution: distribution.description, keys, hottestShare: distribution.hottestValueShare, ...heat };
        print(command, JSON.stringify(json, null, 2));
        assumed.forEach((line) => command.configureOutput().writeErr!(`${line}\n`));
      } else {
        print(command, [describe(heat, distribution, itemSizeBytes), ...assumed].join('\n'));
      }
      if (heat.level === HeatLevel.ERROR) {
        failWithFindings(command, 'the hottest key value goes over a partition\'s limits: its requests will throttle. Shard the key as shown, or spread the traffic.');
      }
    });
}

function utilizationOf(value: string): number {
  const u = Number(value);
  if (value.trim() === '' || !Number.isFinite(u) || u <= 0 || u > 1) {
    throw new Error(`\`--utilization\` is '${value}': it is the share of a partition's limits a key value may use, above 0 and at most 1, for example 0.8 for 80%.`);
  }
  return u;
}

function distributionOf(options: HeatOptions, keys: number): KeyDistribution {
  if (options.hottestShare !== undefined) {
    const share = Number(options.hottestShare);
    if (options.hottestShare.trim() === '' || !Number.isFinite(share) || share <= 0 || share > 1) {
      throw new Error(`\`--hottest-share\` is '${options.hottestShare}': a share is a fraction above 0 and at most 1, for example 0.3 for 30% of the requests.`);
    }
    return KeyDistribution.hottestShare(share, keys);
  }
  if (options.zipf !== undefined) {
    return KeyDistribution.zipf(keys, parseNumber('--zipf', options.zipf, { min: 0, max: 10 })!);
  }
  if (options.timeBucket !== undefined) {
    return KeyDistribution.timeBucket(options.timeBucket.toUpperCase() as TimeBucket);
  }
  return KeyDistribution.uniform(keys);
}

function describe(h: KeyHeat, distribution: KeyDistribution, itemSizeBytes: number): string {
  const pct = `${Number((h.utilization * 100).toFixed(1))}%`;
  const lines = [
    `Distribution: ${distribution.description}; the hottest value takes ${Number((distribution.hottestValueShare * 100).toPrecision(3))}% of the requests.`,
    `Item size ${formatKb(itemSizeBytes)}. Limits per partition: ${formatRate(PartitionLimits.READ_UNITS_PER_SECOND)} RCU/s, ${formatRate(PartitionLimits.WRITE_UNITS_PER_SECOND)} WCU/s; `
      + `at ${pct} utilization ${formatRate(h.readUnitsLimit)} RCU/s, ${formatRate(h.writeUnitsLimit)} WCU/s.`,
    '',
    'Hottest value at peak:',
  ];
  for (const l of h.loads) {
    const unit = l.kind === 'READ' ? 'RCU' : 'WCU';
    lines.push(`  ${l.kind === 'READ' ? 'reads: ' : 'writes:'} ${formatRate(l.peakRequestsPerSecond * l.hottestShare)} requests/s x ${formatUnits(l.unitsPerRequest)} ${unit} = ${formatRate(l.hottestValueUnitsPerSecond)} ${unit}/s`);
  }
  lines.push('', `Write shards needed: ${h.shardsNeeded}${h.shardsNeeded > 1 ? ` (${formatRate(h.hottest.writeUnitsPerSecond / h.shardsNeeded)} WCU/s per shard)` : ''}.`);
  for (const c of h.readCosts) {
    lines.push(`  readers then make ${c.queriesPerCall} ${c.queriesPerCall === 1 ? 'call' : 'queries'} per read: ${formatUnits(c.unshardedReadUnitsPerCall)} -> ${formatUnits(c.readUnitsPerCall)} RCU per read.`);
  }
  lines.push(`Reads over the limit: ${h.readsOverLimit ? 'yes' : 'no'}.`);
  for (const side of ['write', 'read'] as const) {
    if (h.loads.some((l) => l.kind === side.toUpperCase())) {
      lines.push('', `Load per key value (${side} units/s):`);
      lines.push(...textBars(h.valueLoads, side, side === 'read' ? h.readUnitsLimit : h.writeUnitsLimit,
        side === 'read' ? PartitionLimits.READ_UNITS_PER_SECOND : PartitionLimits.WRITE_UNITS_PER_SECOND));
    }
  }
  if (h.findings.length > 0) {
    lines.push('', ...h.findings.map((f) => `${h.level}: ${f}`));
  }
  return lines.join('\n');
}
