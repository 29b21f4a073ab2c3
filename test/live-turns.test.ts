import { liveTurn } from '../gateway/live/live-turns';

/** Live delivery lets the event loop in every few milliseconds: a busy slice ends in a turn of the loop, shared by everyone waiting. */

test('within a slice there is no wait; after 5 ms of work everyone waits for one turn of the event loop', async () => {
  await liveTurn(); // a fresh slice
  for (let turn = liveTurn(); turn; turn = liveTurn()) await turn;
  expect(liveTurn()).toBeUndefined();
  const busyUntil = performance.now() + 6;
  while (performance.now() < busyUntil);
  // Other work that came meanwhile (an answer from a region, say) runs before the waiters go on.
  let otherWork = false;
  setImmediate(() => (otherWork = true));
  const turn = liveTurn();
  expect(turn).toBeInstanceOf(Promise);
  expect(liveTurn()).toBe(turn);
  await turn;
  expect(otherWork).toBe(true);
  expect(liveTurn()).toBeUndefined();
});
