// Formatting helpers shared by the calculators, the reports and the CLI; not part of the public API.

/** `10240` → `10 KB`, `1536` → `1.5 KB`. */
export function formatKb(bytes: number): string {
  const kb = bytes / 1024;
  return `${Number.isInteger(kb) ? kb : Number(kb.toFixed(2))} KB`;
}

/** Capacity units without float noise: 1.5, 0.5, 12. */
export function formatUnits(units: number): string {
  return String(Number(units.toFixed(4)));
}

/** An amount with cents: `1,234.56`. */
export function formatAmount(amount: number): string {
  return `${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
