import { GraphQLError } from 'graphql';

/**
 * The one cursor a fanned-out list hands to clients. It records, for every region, the
 * region's own cursor of the last edge taken from it, and which regions have nothing left.
 * A region absent from both starts from its beginning. Opaque to clients; versioned so that
 * a future format can still read today's cursors.
 */
export interface CompositeCursor {
  /** Region code → that region's own cursor after the last edge taken from it. */
  positions: Record<string, string>;
  /** Regions with no edges left after their position. */
  exhausted: string[];
}

interface Encoded {
  v: 1;
  p: Record<string, string>;
  x?: string[];
}

export function encodeCompositeCursor(cursor: CompositeCursor): string {
  const encoded: Encoded = { v: 1, p: cursor.positions };
  if (cursor.exhausted.length) encoded.x = cursor.exhausted;
  return Buffer.from(JSON.stringify(encoded), 'utf8').toString('base64url');
}

export function decodeCompositeCursor(value: unknown): CompositeCursor {
  const invalid = () =>
    new GraphQLError('after: is not a cursor of this list; pass the endCursor or an edge cursor that the same field returned', {
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
    });
  if (typeof value !== 'string' || value.length > 64 * 1024) throw invalid();
  let decoded: Partial<Encoded>;
  try {
    decoded = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const positions = decoded?.p;
  const exhausted = decoded?.x ?? [];
  if (
    decoded?.v !== 1 ||
    typeof positions !== 'object' ||
    positions === null ||
    !Object.entries(positions).every(([region, position]) => /^\d{6}$/.test(region) && typeof position === 'string') ||
    !Array.isArray(exhausted) ||
    !exhausted.every((region) => typeof region === 'string' && /^\d{6}$/.test(region))
  ) {
    throw invalid();
  }
  return { positions: { ...positions }, exhausted: [...exhausted] };
}
