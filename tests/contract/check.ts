// Run-time shape checks whose types are tied to the SDK's types at compile time.
//
// A `V<T>` checks an unknown JSON value and carries T invariantly, so `obj<SdkType>({...})`
// compiles only when it lists a checker for every field of the SDK type (required fields with
// `V<exact field type>`, optional ones wrapped in `opt(...)`) and nothing else. At run time a
// required field that is missing, a field of the wrong JS type or enum value, and a field the
// SDK type does not declare are all reported with their JSON path.

export interface V<T> {
  readonly check: (value: unknown, path: string, errors: string[]) => void;
  // Phantom, never set: makes V<T> invariant in T (V<string> is not a V<string | null>).
  readonly _type?: (t: T) => T;
}

interface Opt<T> {
  readonly optional: V<T>;
}

type OptionalKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? K : never }[keyof T];
type RequiredKeys<T> = Exclude<keyof T, OptionalKeys<T>>;
export type Shape<T> = { [K in RequiredKeys<T>]-?: V<T[K]> } & { [K in OptionalKeys<T>]-?: Opt<Exclude<T[K], undefined>> };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function make<T>(check: V<T>['check']): V<T> {
  return { check };
}

export const str: V<string> = make((v, p, e) => {
  if (typeof v !== 'string') e.push(`${p}: expected a string, got ${describe(v)}`);
});

export const nonEmpty: V<string> = make((v, p, e) => {
  if (typeof v !== 'string' || v.length === 0) e.push(`${p}: expected a non-empty string, got ${JSON.stringify(v)}`);
});

// An ISO 8601 date-time with a time zone (what `createdAt` and friends carry).
export const isoDate: V<string> = make((v, p, e) => {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v)))
    e.push(`${p}: expected an ISO 8601 date-time, got ${JSON.stringify(v)}`);
});

// A string that must be one of `values`, for fields the SDK types as plain `string`.
export function strIn(...values: readonly string[]): V<string> {
  return make((v, p, e) => {
    if (typeof v !== 'string' || !values.includes(v)) e.push(`${p}: expected one of ${JSON.stringify(values)}, got ${JSON.stringify(v)}`);
  });
}

export function prefixed(prefix: string): V<string> {
  return make((v, p, e) => {
    if (typeof v !== 'string' || !v.startsWith(prefix) || v.length <= prefix.length)
      e.push(`${p}: expected an id starting with "${prefix}", got ${JSON.stringify(v)}`);
  });
}

export function url(pathPart: string): V<string> {
  return make((v, p, e) => {
    if (typeof v !== 'string' || !/^https?:\/\//.test(v) || !v.includes(pathPart))
      e.push(`${p}: expected an http(s) URL containing "${pathPart}", got ${JSON.stringify(v)}`);
  });
}

export const num: V<number> = make((v, p, e) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) e.push(`${p}: expected a number, got ${describe(v)}`);
});

export const port: V<number> = make((v, p, e) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) e.push(`${p}: expected a TCP port, got ${JSON.stringify(v)}`);
});

export const bool: V<boolean> = make((v, p, e) => {
  if (typeof v !== 'boolean') e.push(`${p}: expected a boolean, got ${describe(v)}`);
});

export function lit<const L extends readonly (string | number | boolean)[]>(...values: L): V<L[number]> {
  return make((v, p, e) => {
    if (!values.includes(v as L[number])) e.push(`${p}: expected one of ${JSON.stringify(values)}, got ${JSON.stringify(v)}`);
  });
}

export function nullable<T>(inner: V<T>): V<T | null> {
  return make((v, p, e) => {
    if (v !== null) inner.check(v, p, e);
  });
}

export function opt<T>(inner: V<T>): Opt<T> {
  return { optional: inner };
}

export function arr<T>(item: V<T>): V<T[]> {
  return make((v, p, e) => {
    if (!Array.isArray(v)) {
      e.push(`${p}: expected an array, got ${describe(v)}`);
      return;
    }
    v.forEach((x, i) => item.check(x, `${p}[${i}]`, e));
  });
}

export function obj<T>(shape: Shape<T>): V<T> {
  const fields = shape as unknown as Record<string, V<unknown> | Opt<unknown>>;
  return make((v, p, e) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      e.push(`${p}: expected an object, got ${describe(v)}`);
      return;
    }
    const o = v as Record<string, unknown>;
    for (const [key, checker] of Object.entries(fields)) {
      const present = Object.prototype.hasOwnProperty.call(o, key);
      if ('optional' in checker) {
        if (present) checker.optional.check(o[key], `${p}.${key}`, e);
      } else if (!present) {
        e.push(`${p}.${key}: required by the SDK type but missing`);
      } else {
        checker.check(o[key], `${p}.${key}`, e);
      }
    }
    for (const key of Object.keys(o))
      if (!(key in fields)) e.push(`${p}.${key}: not declared by the SDK type`);
  });
}

// A union of objects told apart by their `type` field, one checker per tag.
export function tagged<T extends { type: string }>(cases: { [K in T['type']]: V<Extract<T, { type: K }>> }): V<T> {
  const table = cases as unknown as Record<string, V<unknown>>;
  return make((v, p, e) => {
    const tag = typeof v === 'object' && v !== null ? (v as { type?: unknown }).type : undefined;
    const checker = typeof tag === 'string' ? table[tag] : undefined;
    if (!checker) {
      e.push(`${p}.type: expected one of ${JSON.stringify(Object.keys(table))}, got ${JSON.stringify(tag)}`);
      return;
    }
    checker.check(v, p, e);
  });
}

// Narrows with an extra predicate (same type), e.g. a string that must be a postgres:// URL.
export function where<T>(inner: V<T>, what: string, predicate: (t: T) => boolean): V<T> {
  return make((v, p, e) => {
    const before = e.length;
    inner.check(v, p, e);
    if (e.length === before && !predicate(v as T)) e.push(`${p}: expected ${what}, got ${JSON.stringify(v)}`);
  });
}

export class ShapeError extends Error {}

// Throws with every mismatch listed; returns the value typed as T.
export function expectShape<T>(checker: V<T>, value: unknown, what: string): T {
  const errors: string[] = [];
  checker.check(value, '$', errors);
  if (errors.length > 0)
    throw new ShapeError(`${what}: ${errors.length} mismatch(es) with the SDK type:\n  ${errors.join('\n  ')}\nbody: ${JSON.stringify(value)}`);
  return value as T;
}
