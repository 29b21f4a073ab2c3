import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { hubError } from '../shared/errors';

/**
 * Lookups by a full resident ID number, per officer and region: a masked number
 * (330402********9104 with 1977-**-**) leaves few candidates, so unlimited lookups would
 * confirm the number by trying them. `HUB_ID_LOOKUPS_PER_MINUTE` (default 30) lookups a
 * minute, then RATE_LIMITED with the wait. A region is served by one thread, so each region
 * counts exactly.
 */
let limiter: RateLimiterMemory | undefined;

function lookupLimiter(): RateLimiterMemory {
  if (!limiter) {
    // Read when first needed, so that a hub started in a process configures it.
    const perMinute = Number(process.env.HUB_ID_LOOKUPS_PER_MINUTE ?? 30);
    limiter = new RateLimiterMemory({ points: Number.isInteger(perMinute) && perMinute > 0 ? perMinute : 30, duration: 60 });
  }
  return limiter;
}

export async function countIdNumberLookup(region: string, officerId: string): Promise<void> {
  const limiter = lookupLimiter();
  try {
    await limiter.consume(`${region} ${officerId}`);
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    const seconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
    throw hubError('RATE_LIMITED', `Too many lookups by ID number: ${limiter.points} a minute per officer; try again in ${seconds} s`, {
      retryAfterSeconds: seconds,
    });
  }
}
