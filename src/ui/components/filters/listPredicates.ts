import { SPEC_LINES } from '../../../cdevents';

/**
 * The predicates the chosen subjects have in some spec line (0.3 to 0.5), in `order`; every predicate
 * when no subject is chosen. Read from the spec tables, so `change` offers created, reviewed, merged,
 * abandoned and updated rather than all 23. Pure.
 */
export function listPredicates(subjects: readonly string[], order: readonly string[]): string[] {
  if (subjects.length === 0) return [...order];
  const found = new Set<string>();
  for (const line of SPEC_LINES) {
    for (const key of Object.keys(line.types)) {
      const [subject, predicate] = key.split('.');
      if (subject && predicate && subjects.includes(subject)) found.add(predicate);
    }
  }
  return order.filter((predicate) => found.has(predicate));
}
