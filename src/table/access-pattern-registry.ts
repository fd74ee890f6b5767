import * as fs from 'fs';
import * as path from 'path';
import { Annotations, attachCustomSynthesis, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AccessPatternProps } from '../access-patterns/access-pattern';
import { AccessPatternReport } from '../access-patterns/access-pattern-report';
import { validateAccessPatternProps } from '../access-patterns/checks';
import { validateWriteTrafficProps, writeTrafficErrors } from '../access-patterns/traffic-checks';
import { WriteTrafficProps } from '../access-patterns/write-traffic';
import { declaredTableClassCost, DeclaredTableClassCost } from '../cost/declared-traffic-cost';
import { HeatForecast } from '../heat/heat-forecast';
import { HeatReport } from '../heat/heat-report';
import { TableHeatForecast } from '../heat/key-heat';
import { HeatLevel } from '../heat/partition-limits';
import { SynthesizedTableDefinition } from '../model/synthesized-table';
import { TableDefinition } from '../model/table-definition';
import { hostError, spellForHost } from '../private/host-language';

/**
 * The access patterns and write traffic of one table: checked when the app is validated (the indexes are
 * final by then), forecast for hot partitions, and written into the cloud assembly as
 * `<stack artifact id>.<table id>.access-patterns.md`.
 */
export class AccessPatternRegistry {
  /** The report's file name in the cloud assembly. */
  public static fileName(table: IConstruct): string {
    return `${Stack.of(table).artifactId}.${table.node.id}.access-patterns.md`;
  }

  private readonly patterns: AccessPatternProps[] = [];
  private readonly writes: WriteTrafficProps[] = [];
  private warned = false;

  constructor(private readonly table: IConstruct) {
    table.node.addValidation({ validate: () => this.validate().map((message) => spellForHost(message)) });
    attachCustomSynthesis(table, {
      onSynthesize: (session) => {
        fs.mkdirSync(session.outdir, { recursive: true });
        fs.writeFileSync(path.join(session.outdir, AccessPatternRegistry.fileName(table)), this.markdown());
      },
    });
  }

  public add(props: AccessPatternProps): void {
    validateAccessPatternProps(props, this.patterns);
    this.patterns.push({ ...props, returns: props.returns ? [...props.returns] : undefined });
  }

  public addWriteTraffic(props: WriteTrafficProps): void {
    validateWriteTrafficProps(props, this.writes);
    this.writes.push({ ...props, indexes: props.indexes ? props.indexes.map((i) => ({ ...i })) : undefined });
  }

  public markdown(): string {
    const title = `${Stack.of(this.table).stackName} / ${this.table.node.id}`;
    const definition = SynthesizedTableDefinition.of(this.table);
    const report = AccessPatternReport.markdown(title, definition, this.patterns);
    const forecast = this.forecast(definition);
    if (forecast === undefined) {
      return report;
    }
    const tableClass = tableClassCost(definition, forecast);
    return `${report}\n${HeatReport.markdown(forecast)}\n## Table class\n\n${tableClass.summary}\n`;
  }

  /** Pattern and write errors; else the forecast's warnings (annotations, once) and its errors. */
  private validate(): string[] {
    const definition = SynthesizedTableDefinition.of(this.table);
    const errors = [
      ...AccessPatternReport.analyze(definition, this.patterns).flatMap((a) => a.errors),
      ...writeTrafficErrors(definition, this.writes),
    ];
    if (errors.length > 0) {
      return errors;
    }
    let forecast: TableHeatForecast | undefined;
    try {
      forecast = this.forecast(definition);
    } catch (err) {
      return [(err as Error).message];
    }
    if (forecast === undefined) {
      return [];
    }
    const keys = forecast.keys;
    if (!this.warned) {
      this.warned = true;
      for (const finding of keys.filter((k) => k.level === HeatLevel.WARNING).flatMap((k) => k.findings)) {
        Annotations.of(this.table).addWarningV2('cdk-dynamodb-blueprints:HotPartition', spellForHost(finding));
      }
      const tableClassWarning = tableClassCost(definition, forecast).infrequentAccessWarning;
      if (tableClassWarning !== undefined) {
        Annotations.of(this.table).addWarningV2('cdk-dynamodb-blueprints:TableClass', spellForHost(tableClassWarning));
      }
    }
    return keys.filter((k) => k.level === HeatLevel.ERROR).flatMap((k) => k.findings);
  }

  /** The forecast, when any traffic is declared. */
  private forecast(definition: TableDefinition): TableHeatForecast | undefined {
    if (this.writes.length === 0 && !this.patterns.some((p) => p.traffic !== undefined)) {
      return undefined;
    }
    if (writeTrafficErrors(definition, this.writes).length > 0) {
      return undefined;
    }
    const context = this.table.node.tryGetContext(HeatForecast.UTILIZATION_CONTEXT_KEY);
    const utilization = context === undefined ? undefined : Number(context);
    if (context !== undefined && !(utilization! > 0 && utilization! <= 1)) {
      throw hostError(`Context \`${HeatForecast.UTILIZATION_CONTEXT_KEY}\` is ${JSON.stringify(context)}: it is the share of a partition's limits a key value may use, above 0 and at most 1 (0.8 for 80%).`);
    }
    return HeatForecast.forTable(definition, this.patterns, this.writes, { utilization });
  }
}

/** The declared traffic's reads and writes on each table class: every read and write load of the forecast. */
function tableClassCost(definition: TableDefinition, forecast: TableHeatForecast): DeclaredTableClassCost {
  const loads = forecast.keys.flatMap((k) => k.loads);
  const units = (kind: string) => loads.filter((l) => l.kind === kind).reduce((sum, l) => sum + l.requestsPerSecond * l.unitsPerRequest, 0);
  return declaredTableClassCost(
    { readUnitsPerSecond: units('READ'), writeUnitsPerSecond: units('WRITE') },
    definition.billingMode, definition.replicas.some((r) => r.pointInTimeRecovery), definition.tableClass,
  );
}
