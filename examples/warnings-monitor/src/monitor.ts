/**
 * The warnings monitor: prints the newest petition warnings of every region the caller may see,
 * then follows every change of a warning live until stopped (or until `--events N` have come).
 *
 *   HUB=http://127.0.0.1:4000 TOKEN=$(npm run --silent token -- demo-330400) node dist/examples/warnings-monitor/src/monitor.js
 */
import { parseArgs } from 'node:util';
import type { RecentWarningsQuery, WarningEventsSubscription } from './generated/graphql';
import { execute, HubError, subscribe, subscriptionClient, type HubConnection } from './hub-client';
import { RecentWarnings, WarningEvents } from './operations';

type Warning = RecentWarningsQuery['petitionWarnings']['edges'][number]['node'];
type WarningEvent = WarningEventsSubscription['petitionWarningEvents'];

function describeWarning(warning: Warning): string {
  return `${warning.raisedAt}  ${warning.region}  ${warning.level.padEnd(6)} ${warning.kind.padEnd(12)} ${warning.id.padEnd(12)} ${warning.subject?.name ?? '(subject not visible)'} (${warning.subject?.region ?? '?'})  ${warning.summary}`;
}

function describeEvent(event: WarningEvent): string {
  const { warning } = event;
  return `${event.at}  ${event.region}  ${event.kind.padEnd(12)} ${warning.id.padEnd(12)} ${warning.level} ${warning.kind} ${warning.status}  ${warning.subject?.name ?? ''}  by ${event.officer?.id ?? 'rule'}  cursor ${event.cursor}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { first: { type: 'string', default: '20' }, region: { type: 'string', multiple: true }, events: { type: 'string' }, after: { type: 'string' } },
  });
  const url = process.env.HUB ?? 'http://127.0.0.1:4000';
  const token = process.env.TOKEN;
  if (!token) throw new Error('TOKEN is not set: TOKEN=$(npm run --silent token -- demo-330400)');
  const hub: HubConnection = { url, token, purpose: process.env.PURPOSE };
  const regions = values.region?.length ? values.region : null;

  const recent = await execute(hub, RecentWarnings, { first: Number(values.first), regions });
  const warnings = recent.petitionWarnings.edges.map((edge) => edge.node);
  console.log(`newest ${warnings.length} warnings, from regions ${[...new Set(warnings.map((warning) => warning.region))].sort().join(', ')}:`);
  for (const warning of warnings) console.log(`  ${describeWarning(warning)}`);

  const stopAfter = values.events === undefined ? Infinity : Number(values.events);
  let received = 0;
  const client = subscriptionClient(hub, () => console.log('following live warnings (Ctrl-C stops)…'));
  try {
    for await (const { petitionWarningEvents: event } of subscribe(client, WarningEvents, { regions, after: values.after ?? null })) {
      console.log(`  ${describeEvent(event)}`);
      if (++received >= stopAfter) break;
    }
  } finally {
    await client.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof HubError ? `the hub refused: ${error.message}` : `warnings monitor: ${(error as Error).message}`);
  process.exitCode = 1;
});
