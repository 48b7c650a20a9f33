/**
 * The Kubernetes quantity strings `spec.collectors` accepts, as patterns (for the schema, so the CRD and
 * `pushpull validate` reject the same values) and as numbers (for the cgroups of the local runtime and
 * the sizing arithmetic). Kept to the plain subset everyone writes — `500m`, `0.5`, `2` for CPU;
 * `256Mi`, `1Gi`, `500M` for memory — so a value the apiserver accepts always means the same here.
 */

/** CPU: millicores `1m`–`999999m`, or cores above 0 with at most three decimals (`0.25`, `2`). */
export const CPU_QUANTITY_PATTERN =
  '^([1-9][0-9]{0,5}m|[1-9][0-9]{0,2}(\\.[0-9]{1,3})?|0\\.[0-9]{0,2}[1-9])$';

/** Memory: a whole number above 0 with an optional unit (binary Ki, Mi, Gi, Ti or decimal k, M, G, T). */
export const MEMORY_QUANTITY_PATTERN = '^[1-9][0-9]{0,11}(Ki|Mi|Gi|Ti|k|M|G|T)?$';

/** How `pushpull validate` describes each pattern. */
export const QUANTITY_HINTS: Readonly<Record<string, string>> = {
  [CPU_QUANTITY_PATTERN]: 'a CPU quantity above 0 such as 250m, 0.5 or 2 (at most three decimals)',
  [MEMORY_QUANTITY_PATTERN]:
    'a memory quantity above 0 such as 256Mi, 1Gi or 500M (a whole number, unit Ki, Mi, Gi, Ti, k, M, G or T)',
};

const MEMORY_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** A CPU quantity in millicores (`500m` → 500, `0.25` → 250); a RangeError names a value outside the pattern. */
export function cpuMillicores(quantity: string): number {
  if (!new RegExp(CPU_QUANTITY_PATTERN).test(quantity)) {
    throw new RangeError(
      `cpu: ${JSON.stringify(quantity)} is not allowed; expected ${QUANTITY_HINTS[CPU_QUANTITY_PATTERN]}`,
    );
  }
  if (quantity.endsWith('m')) return Number(quantity.slice(0, -1));
  return Math.round(Number(quantity) * 1000);
}

/** A memory quantity in bytes (`256Mi` → 268435456); a RangeError names a value outside the pattern. */
export function memoryBytes(quantity: string): number {
  const m = new RegExp(MEMORY_QUANTITY_PATTERN).exec(quantity);
  if (!m) {
    throw new RangeError(
      `memory: ${JSON.stringify(quantity)} is not allowed; expected ${QUANTITY_HINTS[MEMORY_QUANTITY_PATTERN]}`,
    );
  }
  const unit = m[1] ?? '';
  return Number(quantity.slice(0, quantity.length - unit.length)) * (MEMORY_UNITS[unit] ?? 1);
}

/** Millicores as a quantity string (`250` → `250m`). */
export function formatMillicores(millicores: number): string {
  return `${Math.max(1, Math.round(millicores))}m`;
}

/** Bytes as a quantity string, in whole Mi when it divides, else in whole Ki (rounded up). */
export function formatMemoryBytes(bytes: number): string {
  if (bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20}Mi`;
  return `${Math.max(1, Math.ceil(bytes / 1024))}Ki`;
}
