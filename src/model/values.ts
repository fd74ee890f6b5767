/** `true` and `'true'` (CfnInclude keeps template strings) are true. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
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
