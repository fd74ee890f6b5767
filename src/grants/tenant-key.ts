import { Token } from 'aws-cdk-lib';
import { hostError } from '../private/host-language';

const TAG_KEY_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

/**
 * Where a tenant-scoped grant takes the partition key value a principal may touch.
 *
 * The value becomes the single allowed value of the `dynamodb:LeadingKeys` condition key: IAM
 * substitutes the policy variable per request, so one policy serves every tenant.
 */
export abstract class TenantKey {
  /**
   * The value of a tag on the calling principal (the role, or the session tag passed on `AssumeRole`).
   *
   * A principal without the tag matches no key at all: IAM leaves the variable unresolved and the
   * condition fails, so the grant allows nothing.
   *
   * @param tagKey the tag key, for example `tenantId`
   */
  public static fromPrincipalTag(tagKey: string): TenantKey {
    if (!Token.isUnresolved(tagKey) && !TAG_KEY_PATTERN.test(tagKey)) {
      throw hostError(`\`tagKey\` is ${JSON.stringify(tagKey)}: a tag key is 1 to 128 letters, digits, spaces and _ . : / = + - @. Pass the tag key as it is set on the principal, for example 'tenantId'.`);
    }
    return new PolicyVariableTenantKey(`aws:PrincipalTag/${tagKey}`, `principal tag ${tagKey}`);
  }

  /**
   * The Cognito identity id of the caller (`${cognito-identity.amazonaws.com:sub}`), for roles that an
   * Amazon Cognito identity pool hands to signed-in users: each user touches only its own partition.
   */
  public static fromCognitoIdentity(): TenantKey {
    return new PolicyVariableTenantKey('cognito-identity.amazonaws.com:sub', 'Cognito identity id');
  }

  /**
   * A fixed partition key value, for a principal that serves exactly one tenant.
   *
   * @param value the partition key value, for example `TENANT#acme`
   */
  public static fixed(value: string): TenantKey {
    if (!Token.isUnresolved(value)) {
      if (value.length === 0) {
        throw hostError('`value` is empty: a fixed tenant key must be the partition key value of the tenant, for example \'TENANT#acme\'.');
      }
      if (value.includes('${') || /[*?]/.test(value)) {
        throw hostError(`\`value\` is ${JSON.stringify(value)}: a fixed tenant key may not contain a policy variable or the wildcards * and ?, which would widen it to other tenants. Use \`TenantKey.fromPrincipalTag()\` or \`TenantKey.fromCognitoIdentity()\` for a per-principal value.`);
      }
    }
    return new FixedTenantKey(value);
  }

  /** The tenant id as a policy value: a policy variable such as `${aws:PrincipalTag/tenantId}`, or the fixed value. */
  public abstract readonly conditionValue: string;

  /**
   * The request context key the tenant id is read from (`aws:PrincipalTag/tenantId`), which a
   * tenant-scoped grant requires to be present and free of the delimiter and wildcard characters.
   *
   * @default - none: a fixed value, checked when the grant is made
   */
  public abstract readonly contextKey?: string;

  /** A short description for docs and errors. */
  public abstract readonly description: string;
}

class PolicyVariableTenantKey extends TenantKey {
  public readonly conditionValue: string;
  constructor(public readonly contextKey: string, public readonly description: string) {
    super();
    this.conditionValue = `\${${contextKey}}`;
  }
}

class FixedTenantKey extends TenantKey {
  public readonly description: string;
  public readonly contextKey?: string = undefined;
  constructor(public readonly conditionValue: string) {
    super();
    this.description = `fixed value ${conditionValue}`;
  }
}
