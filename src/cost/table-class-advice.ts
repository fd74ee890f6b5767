import { BillingMode, TableClass } from 'aws-cdk-lib/aws-dynamodb';
import { ModeCost, TableClassAdvice } from './cost-estimate';
import { CostWorkloadProps } from './cost-workload';
import { CapacityTarget, classPrices, onDemandCost, provisionedCost, round, Scaling, throughputCost } from './line-items';
import { RegionPrices, TableClassPrices } from './price-table';

/**
 * Standard against Standard-IA for one workload in one capacity mode: storage and point-in-time recovery
 * scale with the GB stored, reads, writes and replication with the traffic; contributor insights and KMS
 * cost the same in both classes (`sharedCost`).
 */
export function adviseTableClass(
  props: CostWorkloadProps, targets: CapacityTarget[], gb: number, prices: RegionPrices, mode: BillingMode, scaling: Scaling,
  sharedCost: number, money: (n: number) => string,
): TableClassAdvice | undefined {
  if (prices.standardInfrequentAccess === undefined) {
    return undefined;
  }
  const standard = classPrices(prices, TableClass.STANDARD);
  const ia = classPrices(prices, TableClass.STANDARD_INFREQUENT_ACCESS);
  const cost = (p: TableClassPrices): ModeCost => (mode === BillingMode.PROVISIONED
    ? provisionedCost(props, targets, gb, p, scaling)
    : onDemandCost(props, targets, gb, p));
  const onStandard = cost(standard);
  const onIa = cost(ia);
  const standardMonthlyCost = round2(onStandard.monthlyCost + sharedCost);
  const infrequentAccessMonthlyCost = round2(onIa.monthlyCost + sharedCost);

  const throughput = throughputCost(onStandard);
  const share = (storage: number) => (storage + throughput > 0 ? 100 * storage / (storage + throughput) : 0);
  const storageSharePercent = round(share(onStandard.storageCost));
  // What one GB a month saves on Standard-IA, in every region, and what its dearer reads and writes cost.
  const regions = 1 + (props.replicaRegions ?? 0);
  const pitr = props.pointInTimeRecovery ?? true;
  const savingPerGb = regions * ((standard.storageGbMonth - ia.storageGbMonth)
    + (pitr ? standard.pointInTimeRecoveryGbMonth - ia.pointInTimeRecoveryGbMonth : 0));
  const premium = throughputCost(onIa) - throughput;
  const breakEvenGb = savingPerGb > 0 ? Math.max(0, premium) / savingPerGb : undefined;
  const breakEvenShare = breakEvenGb === undefined ? undefined : round(share(breakEvenGb * regions * standard.storageGbMonth));

  const recommendedTableClass = infrequentAccessMonthlyCost < standardMonthlyCost ? TableClass.STANDARD_INFREQUENT_ACCESS : TableClass.STANDARD;
  const modeName = mode === BillingMode.PROVISIONED ? 'provisioned' : 'on-demand';
  const versus = `${money(infrequentAccessMonthlyCost)} a month on Standard-IA against ${money(standardMonthlyCost)} on Standard (${modeName})`;
  const prices$ = `storage at ${ia.storageGbMonth} instead of ${standard.storageGbMonth} per GB-month, reads and writes ${percentMore(ia, standard)}% dearer`;
  let reason: string;
  if (breakEvenGb === undefined) {
    reason = `Standard: Standard-IA never costs less at these prices (${prices$}); ${versus}.`;
  } else if (recommendedTableClass === TableClass.STANDARD_INFREQUENT_ACCESS) {
    reason = `Standard-IA: storage is ${storageSharePercent.toFixed(0)}% of the Standard bill's storage and throughput, above the ${breakEvenShare!.toFixed(0)}% at which Standard-IA's cheaper storage outweighs its dearer reads and writes (${prices$}): ${versus}. Reserved capacity does not apply to Standard-IA.`;
  } else {
    reason = `Standard: storage is ${storageSharePercent.toFixed(0)}% of the Standard bill's storage and throughput, below the ${breakEvenShare!.toFixed(0)}% at which Standard-IA would pay (about ${round(breakEvenGb)} GB stored per region at this traffic; ${prices$}): ${versus}.`;
  }
  return {
    mode,
    standardMonthlyCost,
    infrequentAccessMonthlyCost,
    storageSharePercent,
    breakEvenStorageSharePercent: breakEvenShare,
    breakEvenStorageGb: breakEvenGb === undefined ? undefined : round(breakEvenGb),
    recommendedTableClass,
    reason,
  };
}

/** How much dearer Standard-IA's writes are, in percent (reads differ by a rounding). */
function percentMore(ia: TableClassPrices, standard: TableClassPrices): number {
  return Math.round(100 * (ia.onDemandWritePerMillion / standard.onDemandWritePerMillion - 1));
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
