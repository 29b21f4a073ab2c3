/**
 * What the header editor starts with: the caller token and a stated purpose. X-Purpose is a
 * short name (a letter, then up to 63 letters, digits, `_`, `.` or `-`), such as
 * "petition-handling"; personal details of people are unmasked only with one.
 */
export const DEFAULT_PURPOSE = 'petition-handling';

export const TOKEN_PLACEHOLDER = '<paste a caller token>';

export function requestHeaders(token: string | undefined): string {
  return JSON.stringify({ Authorization: `Bearer ${token ?? TOKEN_PLACEHOLDER}`, 'X-Purpose': DEFAULT_PURPOSE }, null, 2);
}
