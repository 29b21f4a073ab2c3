/**
 * The hub's demo sign-in (demo mode only, see README "Explorer"): GET /demo/officers lists the
 * seeded officers, POST /demo/token issues a caller token for one of them. Both answer 404 on a
 * hub with real identity providers, where the explorer asks the user for a token instead.
 */

export interface DemoOfficer {
  login: string;
  id: string;
  region: string;
  jurisdiction: string;
  agency: string | null;
  roles: string[];
}

export interface DemoOfficers {
  officers: DemoOfficer[];
  /** The officer the README's examples act as. */
  default: string;
}

/** The demo officers, or undefined when the hub is not in demo mode. */
export async function demoOfficers(): Promise<DemoOfficers | undefined> {
  const response = await fetch('/demo/officers', { headers: { accept: 'application/json' } });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET /demo/officers answered ${response.status}`);
  return (await response.json()) as DemoOfficers;
}

export async function demoToken(login: string): Promise<string> {
  const response = await fetch('/demo/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login }) });
  const answer = (await response.json()) as { token?: string; errors?: Array<{ message: string }> };
  if (!response.ok || !answer.token) throw new Error(answer.errors?.[0]?.message ?? `POST /demo/token answered ${response.status}`);
  return answer.token;
}
