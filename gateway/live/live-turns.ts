/**
 * Live delivery takes turns with everything else the gateway does. A subscriber's stream hands
 * over each event in microtasks, which never let the event loop in: a thousand streams with
 * events waiting would run through all of them before a region's answer to a registration or
 * a query is even read, and those would time out behind the live work. So every few
 * milliseconds of delivery, the streams wait for the next turn of the event loop; under more
 * load than the gateway can serve, events then wait in the subscribers' bounded queues (a
 * subscriber too far behind is disconnected as too slow) while requests keep being answered.
 */

const SLICE_MS = 5;
let sliceStarted = performance.now();
let nextTurn: Promise<void> | undefined;

/** Undefined while the current slice lasts; else a promise of the next turn, shared by every stream that asks. */
export function liveTurn(): Promise<void> | undefined {
  if (nextTurn) return nextTurn;
  if (performance.now() - sliceStarted < SLICE_MS) return undefined;
  nextTurn = new Promise((resolve) =>
    setImmediate(() => {
      nextTurn = undefined;
      sliceStarted = performance.now();
      resolve();
    }),
  );
  return nextTurn;
}
