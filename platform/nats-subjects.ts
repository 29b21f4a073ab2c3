/**
 * Where warning events travel through NATS JetStream (NATS_URL set): one stream, one subject
 * per region. The regions' petitions hosts publish to it and the gateways read from it, so both
 * take the names from here. HUB_NATS_PREFIX keeps hubs sharing one NATS server apart.
 */
export function natsPrefix(env: NodeJS.ProcessEnv = process.env): string {
  const prefix = env.HUB_NATS_PREFIX || 'yrd';
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(prefix)) throw new Error(`HUB_NATS_PREFIX must be letters, digits, - and _ (at most 32), but got "${prefix}"`);
  return prefix;
}

export const warningEventsStream = (prefix: string) => `${prefix}_warning_events`;
export const warningEventsSubject = (prefix: string, region: string) => `${prefix}.warnings.${region}`;
/** Kept in the stream as long as the regions keep them (README "Live warnings"). */
export const WARNING_EVENTS_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
