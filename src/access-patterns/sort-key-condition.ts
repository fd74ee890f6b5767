import { hostError } from '../private/host-language';

/**
 * The condition an access pattern puts on the sort key of its table or index, as a `Query` key
 * condition expression would.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html
 */
export abstract class SortKeyCondition {
  /**
   * The sort key equals a value: with the partition key, one item (a `GetItem` on the table).
   *
   * @param value the value, as it would appear in the pattern's documentation (e.g. `TASK#<taskId>`)
   */
  public static equalTo(value: string): SortKeyCondition {
    return SortKeyCondition.of('=', [value]);
  }

  /**
   * The sort key starts with a prefix: the classic way to read one kind of item of a partition.
   *
   * @param prefix the prefix (e.g. `ORDER#2026-06`)
   */
  public static beginsWith(prefix: string): SortKeyCondition {
    return SortKeyCondition.of('begins_with', [prefix]);
  }

  /**
   * The sort key lies between two values, both included.
   *
   * @param low the lower bound
   * @param high the upper bound
   */
  public static between(low: string, high: string): SortKeyCondition {
    return SortKeyCondition.of('BETWEEN', [low, high]);
  }

  /**
   * The sort key is less than a value.
   *
   * @param value the bound
   */
  public static lessThan(value: string): SortKeyCondition {
    return SortKeyCondition.of('<', [value]);
  }

  /**
   * The sort key is less than or equal to a value.
   *
   * @param value the bound
   */
  public static lessThanOrEqual(value: string): SortKeyCondition {
    return SortKeyCondition.of('<=', [value]);
  }

  /**
   * The sort key is greater than a value.
   *
   * @param value the bound
   */
  public static greaterThan(value: string): SortKeyCondition {
    return SortKeyCondition.of('>', [value]);
  }

  /**
   * The sort key is greater than or equal to a value.
   *
   * @param value the bound
   */
  public static greaterThanOrEqual(value: string): SortKeyCondition {
    return SortKeyCondition.of('>=', [value]);
  }

  private static of(operator: string, values: string[]): SortKeyCondition {
    values.forEach((v) => {
      if (typeof v !== 'string' || v.length === 0) {
        throw hostError(`\`SortKeyCondition\` ${operator} received ${JSON.stringify(v)}: give the value as a non-empty string, for example 'ORDER#<date>'.`);
      }
    });
    return new (class extends SortKeyCondition {})(operator, values);
  }

  /** The operator: `=`, `<`, `<=`, `>`, `>=`, `BETWEEN` or `begins_with`. */
  public readonly operator: string;

  /** The operand(s): two for `BETWEEN`, one otherwise. */
  public readonly values: string[];

  private constructor(operator: string, values: string[]) {
    this.operator = operator;
    this.values = values;
  }

  /**
   * The condition as a key condition expression on a sort key attribute.
   *
   * @param sortKey the sort key attribute name
   */
  public render(sortKey: string): string {
    if (this.operator === 'begins_with') {
      return `begins_with(${sortKey}, '${this.values[0]}')`;
    }
    if (this.operator === 'BETWEEN') {
      return `${sortKey} BETWEEN '${this.values[0]}' AND '${this.values[1]}'`;
    }
    return `${sortKey} ${this.operator} '${this.values[0]}'`;
  }
}
