/** A string literal in a Temporal visibility query: backslashes and single quotes escaped. */
export function quoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
