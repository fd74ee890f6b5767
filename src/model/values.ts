/**
 * A boolean as CloudFormation reads it: `true`, or the string `"true"` in any case (`"True"`,
 * `"TRUE"`), as released templates write it and as `CfnInclude` keeps it.
 */
export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

/** A number, or a numeric string as `CfnInclude` may keep it; undefined otherwise. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return Number(value);
  }
  return undefined;
}
