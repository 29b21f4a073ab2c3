/**
 * Whether a request's Accept header prefers Server-Sent Events to a JSON answer. GraphQL clients
 * list several types (urql by default: `application/graphql-response+json, application/json,
 * text/event-stream`): such a query wants JSON, and only a client that ranks the event stream
 * first (by quality, then by order) subscribes over SSE.
 */
export function acceptsEventStreamFirst(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranked = accept
    .split(',')
    .map((part, index) => {
      const [type, ...parameters] = part.trim().toLowerCase().split(';');
      const q = parameters.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { type: type.trim(), quality: q === undefined ? 1 : Number(q), index };
    })
    .filter(
      (entry) =>
        entry.quality > 0 &&
        (entry.type === 'text/event-stream' ||
          /^application\/(graphql-response\+)?json$/.test(entry.type) ||
          entry.type === '*/*' ||
          entry.type === 'application/*'),
    )
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked[0]?.type === 'text/event-stream';
}
