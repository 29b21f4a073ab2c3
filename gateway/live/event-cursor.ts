import { GraphQLError } from 'graphql';
import { decodeCompositeCursor, encodeCompositeCursor } from '../composite-cursor';

/**
 * A live event's cursor: every subscribed region's feed position after the event, in the same
 * composite form as the fan-out lists' cursors (gateway/composite-cursor.ts). Resuming with it
 * continues each region exactly where the subscriber left it.
 */

export type FeedPositions = Map<string, number>;

export function encodeEventCursor(positions: FeedPositions): string {
  return encodeCompositeCursor({ positions: Object.fromEntries([...positions].map(([region, seq]) => [region, String(seq)])), exhausted: [] });
}

export function decodeEventCursor(value: string): FeedPositions {
  let decoded;
  try {
    decoded = decodeCompositeCursor(value);
  } catch {
    throw invalidCursor();
  }
  const positions: FeedPositions = new Map();
  for (const [region, seq] of Object.entries(decoded.positions)) {
    if (!/^\d{1,15}$/.test(seq)) throw invalidCursor();
    positions.set(region, Number(seq));
  }
  return positions;
}

function invalidCursor(): GraphQLError {
  return new GraphQLError('after: is not a cursor of petitionWarningEvents; pass the cursor of the last event you received', {
    extensions: { code: 'BAD_USER_INPUT', field: 'after' },
  });
}
