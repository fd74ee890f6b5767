/**
 * Evaluates a Lambda event filter pattern against an event, for the subset of the pattern syntax the
 * constructs of this library emit: exact values, `prefix` and `anything-but`, nested objects. Anything
 * else throws, so a new kind of filter cannot be silently ignored by a local run.
 */
export function matchesPattern(pattern: any, event: any): boolean {
  for (const [field, condition] of Object.entries(pattern)) {
    const value = event?.[field];
    if (Array.isArray(condition)) {
      if (!condition.some((c) => matchesValue(c, value))) {
        return false;
      }
    } else if (condition !== null && typeof condition === 'object') {
      if (value === null || typeof value !== 'object' || !matchesPattern(condition, value)) {
        return false;
      }
    } else {
      throw new Error(`Unsupported filter pattern at ${field}: ${JSON.stringify(condition)}`);
    }
  }
  return true;
}

function matchesValue(condition: any, value: any): boolean {
  if (condition === null || typeof condition !== 'object') {
    return value === condition;
  }
  if (typeof condition.prefix === 'string') {
    return typeof value === 'string' && value.startsWith(condition.prefix);
  }
  if (condition['anything-but'] !== undefined) {
    const excluded = [condition['anything-but']].flat();
    return value !== undefined && !excluded.includes(value);
  }
  throw new Error(`Unsupported filter operator: ${JSON.stringify(condition)}`);
}
