/** Appends in place without spreading (spreading a huge array as arguments overflows the stack). */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
