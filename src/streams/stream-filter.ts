import { FilterCriteria, FilterRule } from 'aws-cdk-lib/aws-lambda';
import { hostError } from '../private/host-language';

/**
 * The kinds of item change a DynamoDB stream record describes.
 */
export enum StreamEventName {
  /** A new item was put. */
  INSERT = 'INSERT',
  /** An existing item was updated or overwritten. */
  MODIFY = 'MODIFY',
  /** An item was deleted, by a request or by time to live. */
  REMOVE = 'REMOVE',
}

/**
 * The conditions of one `StreamFilter`; a record must meet all of them.
 */
export interface StreamFilterConditions {
  /**
   * Only records of these kinds.
   *
   * @default - every kind
   */
  readonly eventNames?: StreamEventName[];

  /**
   * The key attribute `keyPrefix` applies to (a String partition or sort key of the table).
   *
   * @default - no key condition
   */
  readonly keyAttribute?: string;

  /**
   * Only records whose `keyAttribute` starts with this prefix, for example `TASK#` in a single-table design.
   *
   * @default - no key condition
   */
  readonly keyPrefix?: string;
}

/**
 * An event filter of a stream consumer: Lambda drops records that match no filter before invoking the
 * function, so they cost no invocation. Several filters are alternatives (a record passes if it matches any).
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html
 */
export abstract class StreamFilter {
  /**
   * Records meeting all the given conditions.
   *
   * @example StreamFilter.of({ eventNames: [StreamEventName.MODIFY], keyAttribute: 'PK', keyPrefix: 'TASK#' })
   */
  public static of(conditions: StreamFilterConditions): StreamFilter {
    const pattern: Record<string, unknown> = {};
    const eventNames = conditions.eventNames ?? [];
    if (conditions.eventNames !== undefined && eventNames.length === 0) {
      throw hostError('`StreamFilter.of()` received an empty `eventNames`: list at least one of INSERT, MODIFY and REMOVE, or leave `eventNames` out to accept every kind.');
    }
    if (eventNames.length > 0) {
      pattern.eventName = FilterRule.or(...new Set(eventNames));
    }
    const hasAttribute = conditions.keyAttribute !== undefined;
    const hasPrefix = conditions.keyPrefix !== undefined;
    if (hasAttribute !== hasPrefix) {
      throw hostError(`\`StreamFilter.of()\` received ${hasAttribute ? `\`keyAttribute\` '${conditions.keyAttribute}' without \`keyPrefix\`` : `\`keyPrefix\` '${conditions.keyPrefix}' without \`keyAttribute\``}: set both, for example \`{ keyAttribute: 'PK', keyPrefix: 'TASK#' }\`.`);
    }
    if (hasAttribute) {
      if (conditions.keyAttribute === '' || conditions.keyPrefix === '') {
        throw hostError(`\`StreamFilter.of()\` received an empty \`${conditions.keyAttribute === '' ? 'keyAttribute' : 'keyPrefix'}\`: name a String key attribute and a non-empty prefix.`);
      }
      pattern.dynamodb = { Keys: { [conditions.keyAttribute!]: { S: FilterRule.beginsWith(conditions.keyPrefix!) } } };
    }
    if (Object.keys(pattern).length === 0) {
      throw hostError('`StreamFilter.of()` received no condition: set `eventNames`, or `keyAttribute` with `keyPrefix`.');
    }
    return new (class extends StreamFilter {})(pattern);
  }

  /**
   * A filter from a raw Lambda event filter pattern, for conditions `of()` does not cover.
   *
   * @param pattern the pattern object, for example `{ dynamodb: { NewImage: { status: { S: ['DONE'] } } } }`
   * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
   */
  public static fromPattern(pattern: any): StreamFilter {
    if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern) || Object.keys(pattern).length === 0) {
      throw hostError(`\`StreamFilter.fromPattern()\` received ${JSON.stringify(pattern)}: pass a non-empty pattern object, for example { eventName: ['MODIFY'] }.`);
    }
    return new (class extends StreamFilter {})(pattern);
  }

  private readonly pattern: Record<string, unknown>;

  private constructor(pattern: Record<string, unknown>) {
    this.pattern = pattern;
  }

  /**
   * @internal The key attributes the filter has conditions on: under `dynamodb.Keys`, the only part of a
   * record that carries key attributes and nothing else.
   */
  public _keyAttributes(): string[] {
    const keys = (this.pattern.dynamodb as { Keys?: unknown } | undefined)?.Keys;
    return keys !== null && typeof keys === 'object' && !Array.isArray(keys) ? Object.keys(keys) : [];
  }

  /** @internal The filter in the shape `DynamoEventSourceProps.filters` takes. */
  public _render(): { [key: string]: any } {
    return FilterCriteria.filter(this.pattern);
  }
}
