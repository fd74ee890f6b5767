import { BillingMode, TableClass } from 'aws-cdk-lib/aws-dynamodb';
import { classPrices, onDemandCost, provisionedCost, round } from './line-items';
import { PriceTable } from './price-table';
import { formatAmount } from '../capacity/format';

/** The traffic a table declares (its access patterns and write traffic), in units per second. */
export interface DeclaredUnits {
  readonly readUnitsPerSecond: number;
  readonly writeUnitsPerSecond: number;
}

/** Reads and writes of the declared traffic on both table classes, and the storage at which Standard-IA pays. */
export interface DeclaredTableClassCost {
  readonly standard: number;
  readonly infrequentAccess: number;
  /** GB of table and index data above which Standard-IA costs less; undefined when it never does. */
  readonly breakEvenGb?: number;
  /** A paragraph for the access-pattern report. */
  readonly summary: string;
  /** The synth warning for a Standard-IA table, when Standard-IA's reads and writes cost more. */
  readonly infrequentAccessWarning?: string;
}

/**
 * What the declared traffic's reads and writes cost on each table class, with the built-in us-east-1 prices:
 * on-demand per request unit, provisioned at auto scaling's default 70% target. Storage is not declared, so the
 * answer is the storage above which Standard-IA pays.
 */
export function declaredTableClassCost(
  units: DeclaredUnits, billingMode: BillingMode, pointInTimeRecovery: boolean, tableClass: TableClass | undefined,
): DeclaredTableClassCost {
  const table = PriceTable.builtIn();
  const region = 'us-east-1';
  const prices = table.forRegion(region);
  const targets = [{ name: '(table)', readUnits: units.readUnitsPerSecond, writeUnits: units.writeUnitsPerSecond, replicatedAsIndex: false }];
  const workload = { readsPerSecond: 0, writesPerSecond: 0, itemSizeBytes: 1, pointInTimeRecovery: false };
  const throughput = (c: TableClass) => {
    const p = classPrices(prices, c);
    const cost = billingMode === BillingMode.PROVISIONED
      ? provisionedCost(workload, targets, 0, p, { target: 70, minimum: 1 })
      : onDemandCost(workload, targets, 0, p);
    return cost.readCost + cost.writeCost;
  };
  const standard = throughput(TableClass.STANDARD);
  const infrequentAccess = throughput(TableClass.STANDARD_INFREQUENT_ACCESS);
  const s = classPrices(prices, TableClass.STANDARD);
  const ia = classPrices(prices, TableClass.STANDARD_INFREQUENT_ACCESS);
  const savingPerGb = s.storageGbMonth - ia.storageGbMonth + (pointInTimeRecovery ? s.pointInTimeRecoveryGbMonth - ia.pointInTimeRecoveryGbMonth : 0);
  const breakEvenGb = savingPerGb > 0 ? round(Math.max(0, infrequentAccess - standard) / savingPerGb) : undefined;

  const money = (n: number) => `${table.currency} ${formatAmount(n)}`;
  const gb = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: 1 })} GB`;
  const mode = billingMode === BillingMode.PROVISIONED ? 'provisioned at a 70% target' : 'on-demand';
  const traffic = `At the declared traffic (${round(units.readUnitsPerSecond)} read and ${round(units.writeUnitsPerSecond)} write units/s, ${mode}; `
    + `${region} prices dated ${table.effectiveDate}), reads and writes cost ${money(standard)} a month on Standard and ${money(infrequentAccess)} on Standard-IA.`;
  const payback = breakEvenGb === undefined
    ? 'Standard-IA never costs less at these prices.'
    : `Standard-IA's storage (${ia.storageGbMonth} instead of ${s.storageGbMonth} per GB-month) pays the difference back above ${gb(breakEvenGb)} of table and index data; below it, Standard costs less.`;
  const current = tableClass === TableClass.STANDARD_INFREQUENT_ACCESS ? 'Standard-IA' : 'Standard';
  const summary = `${traffic} ${payback} This table is ${current}.`;
  const infrequentAccessWarning = tableClass === TableClass.STANDARD_INFREQUENT_ACCESS && infrequentAccess > standard
    ? `\`tableClass\` is STANDARD_INFREQUENT_ACCESS: its reads and writes cost ${money(infrequentAccess - standard)} a month more than on Standard `
      + `(${money(infrequentAccess)} against ${money(standard)}, at the declared traffic, ${mode}, ${region} prices dated ${table.effectiveDate}), `
      + (breakEvenGb === undefined ? 'and its storage never pays that back at these prices. ' : `paid back only above ${gb(breakEvenGb)} of table and index data. `)
      + 'Below that, use `TableClass.STANDARD`; see `cdk-dynamodb-blueprints cost --table-class`.'
    : undefined;
  return { standard, infrequentAccess, breakEvenGb, summary, infrequentAccessWarning };
}
