import { Token } from 'aws-cdk-lib';
import { TenantKey } from './tenant-key';
import { hostError } from '../private/host-language';

/** Properties of `TenantKeyLayout.delimited`. */
export interface DelimitedTenantKeyProps {
  /**
   * What every tenant's partition key value starts with, before the tenant id (for example `TENANT#`).
   *
   * @default '' - the tenant id starts the partition key value
   */
  readonly prefix?: string;

  /**
   * What follows the tenant id in every partition key value (for example `#` in `TENANT#acme#TASK#1`).
   *
   * Note: a tenant id that contains the delimiter is refused by the grant's condition, so tenant
   * `acme#TASK` can never reach tenant `acme`'s items.
   */
  readonly delimiter: string;
}

/** The `dynamodb:LeadingKeys` conditions of one tenant key layout. */
export interface TenantKeyConditions {
  /** The condition operator (`ForAllValues:StringEquals` or `ForAllValues:StringLike`). */
  readonly operator: string;
  /** The allowed partition key values or patterns. */
  readonly values: string[];
  /** Values the tenant id may not match (`StringNotLike` on the tenant key's context key), empty when none is needed. */
  readonly refusedTenantIds: string[];
}

/**
 * Where the tenant id sits in a partition key value, so that a tenant-scoped grant can compare
 * `dynamodb:LeadingKeys` (the partition key values of a request) with the caller's tenant.
 *
 * @example
 * // Keys such as TENANT#acme#TASK#1: ForAllValues:StringLike TENANT#${aws:PrincipalTag/tenantId}#*
 * TenantKeyLayout.delimited({ prefix: 'TENANT#', delimiter: '#' });
 */
export abstract class TenantKeyLayout {
  /** The partition key value is the tenant id itself (`acme`). */
  public static wholeKey(): TenantKeyLayout {
    return new WholeKeyLayout();
  }

  /**
   * The partition key value is a prefix, the tenant id and a delimiter, then anything
   * (`TENANT#acme#TASK#1`). The grant's pattern ends in the delimiter, so tenant `acme` never reaches
   * `TENANT#acmecorp#...`.
   */
  public static delimited(props: DelimitedTenantKeyProps): TenantKeyLayout {
    const prefix = props.prefix ?? '';
    const delimiter = props.delimiter;
    const errors: string[] = [];
    if (!Token.isUnresolved(prefix) && /[*?]|\$\{/.test(prefix)) {
      errors.push(`\`prefix\` is ${JSON.stringify(prefix)}: it may not contain the wildcards * and ? or a policy variable, which would widen the pattern to other tenants. Write the literal text before the tenant id, for example 'TENANT#'.`);
    }
    if (Token.isUnresolved(delimiter)) {
      errors.push('`delimiter` is a token: the delimiter must be known at synth to build the tenant pattern. Pass the literal text, for example \'#\'.');
    } else if (delimiter === undefined || delimiter.length === 0) {
      errors.push(`\`delimiter\` is ${JSON.stringify(delimiter)}: without a delimiter after the tenant id, tenant 'acme' would reach tenant 'acmecorp'. Pass the text that follows the tenant id, for example '#'.`);
    } else if (/[*?]|\$/.test(delimiter)) {
      errors.push(`\`delimiter\` is ${JSON.stringify(delimiter)}: it may not contain *, ? or $, which IAM reads as a wildcard or a policy variable. Use a character such as '#' or '|'.`);
    }
    if (errors.length > 0) {
      throw hostError(errors.join('\n'));
    }
    return new DelimitedLayout(prefix, delimiter);
  }

  /** A short description for docs and errors, for example `TENANT#<tenant>#...`. */
  public abstract readonly description: string;

  /** @internal */
  public abstract _conditions(tenantKey: TenantKey): TenantKeyConditions;

  /** @internal */
  public abstract _sameAs(other: TenantKeyLayout): boolean;
}

class WholeKeyLayout extends TenantKeyLayout {
  public readonly description = '<tenant>';

  public _conditions(tenantKey: TenantKey): TenantKeyConditions {
    // An exact comparison: a wildcard character in a tenant id is compared as text.
    return { operator: 'ForAllValues:StringEquals', values: [tenantKey.conditionValue], refusedTenantIds: [] };
  }

  public _sameAs(other: TenantKeyLayout): boolean {
    return other instanceof WholeKeyLayout;
  }
}

class DelimitedLayout extends TenantKeyLayout {
  public readonly description: string;

  constructor(private readonly prefix: string, private readonly delimiter: string) {
    super();
    this.description = `${prefix}<tenant>${delimiter}...`;
  }

  public _conditions(tenantKey: TenantKey): TenantKeyConditions {
    if (tenantKey.contextKey === undefined && !Token.isUnresolved(tenantKey.conditionValue) && tenantKey.conditionValue.includes(this.delimiter)) {
      throw hostError(`\`tenantKey\` is the ${tenantKey.description}, which contains the delimiter '${this.delimiter}' of the layout ${this.description}: it would reach the items of another tenant. Pass the tenant id alone, for example \`TenantKey.fixed('acme')\`.`);
    }
    return {
      operator: 'ForAllValues:StringLike',
      values: [`${this.prefix}${tenantKey.conditionValue}${this.delimiter}*`],
      // A tenant id holding the delimiter would name a sub-range of another tenant's keys, and one holding
      // a wildcard would match other tenants; `${*}` and `${?}` are IAM's literal * and ?.
      refusedTenantIds: [`*${this.delimiter}*`, '*${*}*', '*${?}*'],
    };
  }

  public _sameAs(other: TenantKeyLayout): boolean {
    return other instanceof DelimitedLayout && other.prefix === this.prefix && other.delimiter === this.delimiter;
  }
}
