import { AccessPatternProps } from './access-pattern';
import { validateKeyTraffic } from './traffic-checks';
import { hostError } from '../private/host-language';

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Checks what can be checked without the table's final definition; throws on the first problem. */
export function validateAccessPatternProps(props: AccessPatternProps, existing: AccessPatternProps[]): void {
  if (props === undefined || props === null || typeof props !== 'object') {
    throw hostError('`addAccessPattern()` received no props: pass at least `{ name, partitionKey }`.');
  }
  if (typeof props.name !== 'string' || !NAME.test(props.name)) {
    throw hostError(`\`name\` is ${JSON.stringify(props.name)}: an access pattern name is 1 to 64 letters, digits, '-' or '_', starting with a letter, for example 'tasksByAssignee'.`);
  }
  if (existing.some((p) => p.name === props.name)) {
    throw hostError(`\`name\` is '${props.name}', which this table already declares: give each access pattern its own name.`);
  }
  const where = `access pattern '${props.name}'`;
  if (typeof props.partitionKey !== 'string' || props.partitionKey.length === 0) {
    throw hostError(`\`partitionKey\` of ${where} is ${JSON.stringify(props.partitionKey)}: name the partition key attribute the pattern gives a value for (a read without one is a Scan).`);
  }
  if (props.sortKey !== undefined && props.sortKeyCondition === undefined) {
    throw hostError(`\`sortKey\` of ${where} is '${props.sortKey}' but there is no \`sortKeyCondition\`: add the condition (e.g. \`SortKeyCondition.beginsWith('ORDER#')\`) or drop \`sortKey\`.`);
  }
  const positiveInteger = (prop: string, value: number | undefined, max: number) => {
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) {
      throw hostError(`\`${prop}\` of ${where} is ${value}: it must be a whole number from 1 to ${max}.`);
    }
  };
  positiveInteger('partitionKeyShards', props.partitionKeyShards, 1000);
  positiveInteger('typicalResultItems', props.typicalResultItems, 1_000_000);
  if (props.typicalItemSizeBytes !== undefined
    && (typeof props.typicalItemSizeBytes !== 'number' || !(props.typicalItemSizeBytes >= 0 && props.typicalItemSizeBytes <= 400 * 1024))) {
    throw hostError(`\`typicalItemSizeBytes\` of ${where} is ${props.typicalItemSizeBytes}: an item is 0 to 409,600 bytes (400 KB).`);
  }
  if (props.traffic !== undefined) {
    validateKeyTraffic(`\`traffic\` of ${where}`, props.traffic);
  }
  const seen = new Set<string>();
  for (const attr of props.returns ?? []) {
    if (typeof attr !== 'string' || attr.length === 0) {
      throw hostError(`\`returns\` of ${where} lists ${JSON.stringify(attr)}: list attribute names as non-empty strings.`);
    }
    if (seen.has(attr)) {
      throw hostError(`\`returns\` of ${where} lists '${attr}' twice: list each attribute once.`);
    }
    seen.add(attr);
  }
}
