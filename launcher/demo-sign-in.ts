import type { IncomingMessage, ServerResponse } from 'node:http';
import { anyMethodRoute, PlainRoute, readOnlyRoute } from '../platform/apollo-http';
import type { HubIdentity } from './hub-identity';
import { UnknownLoginError } from './hub-identity';
import { demoRoster } from '../subgraphs/personnel/demo-roster';

/**
 * Demo sign-in for the hub's web applications (the explorer, the officer console), served by
 * the gateway only in demo mode (npm start without HUB_IDENTITY); on any other hub these paths
 * do not exist (404). They issue exactly what `yrd-hub token LOGIN` prints, to whoever can
 * reach the hub, which in demo mode listens on this machine only.
 *
 *   GET  /demo/officers → 200 { "default": "demo-330400", "officers": [ { "login", "id", "region", "jurisdiction", "agency", "roles" } ] }
 *   POST /demo/token  { "login": "demo-330400" } → 200 { "login", "id", "token", "expiresInSeconds" }
 *        an unknown login → 400 { "errors": [ { "message", "extensions": { "code": "BAD_USER_INPUT" } } ] }
 */

export const DEMO_OFFICERS_PATH = '/demo/officers';
export const DEMO_TOKEN_PATH = '/demo/token';
/** As long as `yrd-hub token` gives. */
const TOKEN_SECONDS = 12 * 3600;
const MAX_BODY = 4096;

export interface DemoSignInOptions {
  identity: HubIdentity;
  /** Hosted regions' codes and their demo roster size (officers per agency). */
  regions: ReadonlyArray<{ code: string; officersPerAgency: number }>;
  /** The officer the README's examples act as. */
  defaultLogin: string;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  response.end(text);
}

const badInput = (response: ServerResponse, message: string) => sendJson(response, 400, { errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });

function readSmallBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_BODY) {
        text = '';
        request.removeAllListeners('data');
        request.resume();
        resolve(undefined);
      }
    });
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}

/** The two routes, for the gateway's plain routes. */
export function demoSignInRoutes(options: DemoSignInOptions): Record<string, PlainRoute> {
  const officers = options.regions.flatMap(({ code, officersPerAgency }) =>
    demoRoster(code, officersPerAgency)
      .filter((entry) => entry.active)
      .map((entry) => ({
        login: entry.login,
        id: `${code}:${entry.localId}`,
        region: code,
        jurisdiction: entry.jurisdiction,
        agency: entry.agency ?? null,
        roles: [...entry.roles],
      })),
  );
  const listing = { default: officers.some((officer) => officer.login === options.defaultLogin) ? options.defaultLogin : officers[0]?.login, officers };
  return {
    [DEMO_OFFICERS_PATH]: readOnlyRoute((_request, response) => sendJson(response, 200, listing)),
    [DEMO_TOKEN_PATH]: anyMethodRoute((request, response) => {
      if (request.method !== 'POST') {
        response.setHeader('allow', 'POST');
        sendJson(response, 405, { errors: [{ message: `${DEMO_TOKEN_PATH} answers POST only`, extensions: { code: 'METHOD_NOT_ALLOWED' } }] });
        return;
      }
      void (async () => {
        const text = await readSmallBody(request);
        let login: unknown;
        try {
          login = text === undefined ? undefined : (JSON.parse(text) as { login?: unknown }).login;
        } catch {
          login = undefined;
        }
        if (typeof login !== 'string') return badInput(response, 'Send {"login": "demo-330400"}: the login of a demo officer (GET /demo/officers lists them)');
        const officer = officers.find((entry) => entry.login === login);
        if (!officer) return badInput(response, `no demo officer has the login ${JSON.stringify(login)} (GET ${DEMO_OFFICERS_PATH} lists them)`);
        const token = await options.identity.demoToken(officer, TOKEN_SECONDS);
        sendJson(response, 200, { login: officer.login, id: officer.id, token, expiresInSeconds: TOKEN_SECONDS });
      })().catch((error) => {
        if (error instanceof UnknownLoginError) return badInput(response, error.message);
        if (!response.headersSent) sendJson(response, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      });
    }),
  };
}
