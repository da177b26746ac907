/**
 * `{ ...value }` for a copy that is about to gain properties. On the V8 of Node 20, every property
 * added to an object made by spreading (`{ ...value, extra }`, or `copy.extra = …` afterwards)
 * costs several microseconds: the copy's map has no shared transitions, so each addition builds a
 * new one. A copy made by `Object.assign({}, …)` grows along the usual shared transitions.
 * The result is the same: own enumerable properties (symbols included) in the same order, getters
 * read once. Only an own `__proto__` key differs (assignment would set the copy's prototype), so
 * that case keeps the spread.
 */
export function copyForAdding<T extends object>(value: T | undefined): T {
  if (value === undefined || value === null) return {} as T;
  if (Object.prototype.hasOwnProperty.call(value, '__proto__')) return { ...value };
  return Object.assign({}, value);
}
