import { TableClass } from 'aws-cdk-lib/aws-dynamodb';
import { ModeCost, ReservedCapacityEstimate } from './cost-estimate';
import { cents, round } from './line-items';
import { RegionPrices, ReservedTermPrices } from './price-table';
import { HOURS_PER_MONTH } from '../private/limits';

const UNITS_PER_BLOCK = 100;
const HOURS_PER_YEAR = 8760;

/** What reserved capacity applies to, as the DynamoDB developer guide describes it. */
export const RESERVED_CAPACITY_SCOPE = 'Reserved capacity covers provisioned read and write capacity of the Standard table class '
  + '(tables and their indexes) in the region where it is bought, shared by every table of the account there; '
  + 'not on-demand, Standard-IA or replicated write capacity. 1-year terms are sold in every region, 3-year terms in some.';

/**
 * Reserved capacity for the provisioned estimate's capacity: whole blocks of 100 units (never more than the
 * capacity, which is an average: reserve the floor of the quiet hours, not the peak).
 */
export function reserveCapacity(
  provisioned: ModeCost, prices: RegionPrices, tableClass: TableClass,
): { estimates: ReservedCapacityEstimate[]; note: string } {
  if (tableClass !== TableClass.STANDARD) {
    return { estimates: [], note: `None: the estimate is for ${tableClass}. ${RESERVED_CAPACITY_SCOPE}` };
  }
  const terms = prices.reservedCapacity;
  if (terms === undefined || (terms.oneYear === undefined && terms.threeYear === undefined)) {
    return { estimates: [], note: `None: the price table has no reserved capacity prices for ${prices.region}. ${RESERVED_CAPACITY_SCOPE}` };
  }
  const rcu = provisioned.readCapacityUnits ?? 0;
  const wcu = provisioned.writeCapacityUnits ?? 0;
  const estimates = ([[1, terms.oneYear], [3, terms.threeYear]] as Array<[number, ReservedTermPrices | undefined]>)
    .filter((entry): entry is [number, ReservedTermPrices] => entry[1] !== undefined)
    .map(([years, term]) => {
      const readBlocks = Math.floor(rcu / UNITS_PER_BLOCK);
      const writeBlocks = Math.floor(wcu / UNITS_PER_BLOCK);
      const upfront = readBlocks * term.readUpfrontPer100Units + writeBlocks * term.writeUpfrontPer100Units;
      const hourly = readBlocks * term.readHourlyPer100Units + writeBlocks * term.writeHourlyPer100Units;
      const reservedMonthly = upfront / (12 * years) + hourly * HOURS_PER_MONTH;
      const unreserved = HOURS_PER_MONTH * ((rcu - readBlocks * UNITS_PER_BLOCK) * prices.provisionedReadUnitHour
        + (wcu - writeBlocks * UNITS_PER_BLOCK) * prices.provisionedWriteUnitHour);
      const unreservedAll = HOURS_PER_MONTH * (rcu * prices.provisionedReadUnitHour + wcu * prices.provisionedWriteUnitHour);
      const savings = unreservedAll - (reservedMonthly + unreserved);
      // A block pays when its units would otherwise be provisioned for at least this share of the term.
      const breakEven = (upfrontPer100: number, hourlyPer100: number, unitHour: number) =>
        round(100 * (upfrontPer100 / (HOURS_PER_YEAR * years) + hourlyPer100) / (UNITS_PER_BLOCK * unitHour));
      return {
        termYears: years,
        readBlocks,
        writeBlocks,
        upfrontCost: cents(upfront),
        hourlyCost: Number(hourly.toFixed(4)),
        monthlyCost: cents(provisioned.monthlyCost - savings),
        monthlySavings: cents(savings),
        readBreakEvenUtilizationPercent: breakEven(term.readUpfrontPer100Units, term.readHourlyPer100Units, prices.provisionedReadUnitHour),
        writeBreakEvenUtilizationPercent: breakEven(term.writeUpfrontPer100Units, term.writeHourlyPer100Units, prices.provisionedWriteUnitHour),
      };
    });
  const none = estimates.every((e) => e.readBlocks + e.writeBlocks === 0);
  const note = none
    ? `Nothing to reserve: the provisioned capacity (${rcu} RCU, ${wcu} WCU) is below one block of ${UNITS_PER_BLOCK} units. ${RESERVED_CAPACITY_SCOPE}`
    : `Blocks of ${UNITS_PER_BLOCK} units, rounded down from the provisioned estimate's average capacity (${rcu} RCU, ${wcu} WCU): reserve what stays provisioned through the quiet hours. ${RESERVED_CAPACITY_SCOPE}`;
  return { estimates, note };
}
