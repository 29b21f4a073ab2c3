import type { IncomingMessage, ServerResponse } from 'node:http';
import { anyMethodRoute, PlainRoute, readOnlyRoute } from '../platform/apollo-http';

/**
 * Demo sign-in for the browser apps (the console's officer picker), served only while the hub
 * runs its own demo identity providers (`npm start` without HUB_IDENTITY): with real providers
 * these routes do not exist (404) and tokens come from the provinces' providers alone.
 *
 *   GET  /demo/officers → { officers: [{ login, id, agency, jurisdiction, roles }] }
 *   POST /demo/token  { "login": "demo-330400" } → { token } (as `yrd-hub token LOGIN` prints it)
 */

export interface DemoOfficerEntry {
  login: string;
  id: string;
  agency: string;
  jurisdiction: string;
  roles: readonly string[];
}

export interface DemoSignIn {
  officers(): DemoOfficerEntry[];
  /** A caller token from the officer's province's demo provider; rejects for a login that is no demo officer. */
  token(login: string): Promise<string>;
}

const MAX_BODY = 4096;

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

function readSmallBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_BODY) resolve(undefined);
    });
    request.on('end', () => resolve(text.length > MAX_BODY ? undefined : text));
    request.on('error', reject);
  });
}

const badRequest = (message: string) => ({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });

export function demoSignInRoutes(signIn: DemoSignIn): Record<string, PlainRoute> {
  return {
    '/demo/officers': readOnlyRoute((_request, response) => send(response, 200, { officers: signIn.officers() })),
    '/demo/token': anyMethodRoute((request, response) => {
      if (request.method !== 'POST') return send(response, 405, { errors: [{ message: '/demo/token answers POST only', extensions: { code: 'METHOD_NOT_ALLOWED' } }] });
      void (async () => {
        const text = await readSmallBody(request);
        if (text === undefined) return send(response, 413, { errors: [{ message: `body larger than ${MAX_BODY} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
        let login: unknown;
        try {
          login = (JSON.parse(text) as { login?: unknown }).login;
        } catch {
          return send(response, 400, badRequest('send JSON: { "login": "demo-330400" }'));
        }
        if (typeof login !== 'string' || !signIn.officers().some((officer) => officer.login === login)) {
          return send(response, 400, badRequest(`login: ${JSON.stringify(login)} is no active demo officer; GET /demo/officers lists them`));
        }
        send(response, 200, { token: await signIn.token(login) });
      })().catch(() => send(response, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    }),
  };
}
