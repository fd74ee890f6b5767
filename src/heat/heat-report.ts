import { mermaidChart, formatRate, LoadSide } from './heat-chart';
import { KeyHeat, TableHeatForecast } from './key-heat';
import { PartitionLimits } from './partition-limits';
import { formatUnits } from '../capacity/format';

/**
 * Renders a heat forecast as the Markdown section the access-pattern report ends with: a table of every
 * key, and for each loaded key its loads, what sharding costs its readers and a chart of the load per value.
 */
export class HeatReport {
  /**
   * The report section.
   *
   * @param forecast the forecast, from `HeatForecast.forTable()`
   */
  public static markdown(forecast: TableHeatForecast): string {
    const u = forecast.utilization;
    const pct = `${Number((u * 100).toFixed(1))}%`;
    const cell = (text: string) => text.replace(/\|/g, '\\|');
    const name = (k: KeyHeat) => (k.scope === 'TABLE' ? `table${k.itemCollectionOnOnePartition ? ' (+ local indexes)' : ''}` : `GSI ${k.target}`);
    const lines = [
      '## Heat forecast',
      '',
      `The hottest partition-key value of the table and of each global secondary index at the declared peak rates, against the ${formatRate(PartitionLimits.READ_UNITS_PER_SECOND)} read `
        + `and ${formatRate(PartitionLimits.WRITE_UNITS_PER_SECOND)} write units per second one partition serves (the guideline), at ${pct} utilization: `
        + `${formatRate(u * PartitionLimits.READ_UNITS_PER_SECOND)} read and ${formatRate(u * PartitionLimits.WRITE_UNITS_PER_SECOND)} write units per second per stored key value.`,
      '',
      '| Key | Partition key | Hottest value RCU/s | Hottest value WCU/s | Write shards | Busiest stored key RCU/s | Busiest stored key WCU/s | Shards needed | Level |',
      '|---|---|---|---|---|---|---|---|---|',
      ...forecast.keys.map((k) => `| ${[
        name(k),
        `\`${k.partitionKey}\``,
        formatRate(k.hottest.readUnitsPerSecond),
        formatRate(k.hottest.writeUnitsPerSecond),
        String(k.partitionKeyShards),
        formatRate(k.hottestKey.readUnitsPerSecond),
        formatRate(k.hottestKey.writeUnitsPerSecond),
        String(k.shardsNeeded),
        k.loads.length === 0 ? 'no traffic declared' : k.level,
      ].map(cell).join(' | ')} |`),
      '',
    ];
    for (const k of forecast.keys.filter((key) => key.loads.length > 0)) {
      lines.push(`### ${name(k)}: \`${k.partitionKey}\``, '');
      lines.push(
        '| Source | Kind | Via | Peak requests/s | Distribution | Hottest share | Units per request | Hottest value units/s | Shards | Busiest stored key units/s |',
        '|---|---|---|---|---|---|---|---|---|---|',
        ...k.loads.map((l) => `| ${[
          l.source, l.kind, l.via, formatRate(l.peakRequestsPerSecond), l.distribution, `${Number((l.hottestShare * 100).toPrecision(3))}%`,
          `${formatUnits(l.unitsPerRequest)} ${l.kind === 'READ' ? 'RCU' : 'WCU'}`, formatRate(l.hottestValueUnitsPerSecond), String(l.partitionKeyShards), formatRate(l.hottestKeyUnitsPerSecond),
        ].map(cell).join(' | ')} |`),
        '',
      );
      if (k.readCosts.length > 0) {
        const shards = k.readCosts[0].shards;
        lines.push(`What ${shards} write shards cost the readers of \`${k.partitionKey}\`:`, '',
          '| Pattern | Operation | Calls per use | RCU per use, unsharded | RCU per use, sharded |',
          '|---|---|---|---|---|',
          ...k.readCosts.map((c) => `| ${[c.pattern, c.operation, String(c.queriesPerCall), formatUnits(c.unshardedReadUnitsPerCall), formatUnits(c.readUnitsPerCall)].map(cell).join(' | ')} |`),
          '');
      }
      for (const side of ['write', 'read'] as LoadSide[]) {
        const hasLoad = k.loads.some((l) => l.kind === side.toUpperCase());
        if (!hasLoad) {
          continue;
        }
        const limit = side === 'read' ? k.readUnitsLimit : k.writeUnitsLimit;
        const hard = side === 'read' ? PartitionLimits.READ_UNITS_PER_SECOND : PartitionLimits.WRITE_UNITS_PER_SECOND;
        const per = k.partitionKeyShards > 1 ? `per shard (${k.partitionKeyShards})` : 'per value';
        lines.push(...mermaidChart(`${name(k)}: peak ${side} units/s ${per}; lines at ${pct} and 100% of a partition`, k.valueLoads, side, limit, hard), '');
      }
      lines.push(...k.findings.map((f) => `- **${k.level}** ${f}`));
      if (k.findings.length > 0) {
        lines.push('');
      }
    }
    return lines.join('\n');
  }

  private constructor() {}
}
