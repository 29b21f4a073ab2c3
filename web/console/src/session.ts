/**
 * The signed-in officer's bearer token, kept for the browser tab only (sessionStorage): closing
 * the tab signs out, and no other site or tab reads it.
 */
const KEY = 'yrd-console-token';

export function storedToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeToken(token: string | null): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}

/** The claims of a JWT (not verified here: the gateway verifies every request). */
export function tokenClaims(token: string): Record<string, unknown> | null {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(decodeURIComponent(escape(atob(payload)))) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The X-Purpose format the gateway accepts (gateway/authentication.ts). */
export const PURPOSE_PATTERN = /^[A-Za-z][\w.-]{0,63}$/;
