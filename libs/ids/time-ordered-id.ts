import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/** Random bytes drawn from the system at once, for this many ids. */
const IDS_PER_DRAW = 256;
const ID_RANDOM_BYTES = 16;

const entropy = new Uint8Array(IDS_PER_DRAW * ID_RANDOM_BYTES);
let used = entropy.length;
/** The millisecond and counter of the last id (RFC 9562's counter method, as `uuid` keeps them when it draws its own bytes). */
let lastMsecs = -Infinity;
let lastSeq = 0;

/**
 * A UUID version 7: the millisecond it was made, a counter, then random bits, so ids sort in the
 * order they were made in this process (rows keyed by them land at the edge of their primary key,
 * and entries of one millisecond list in that order). The `uuid` package draws 16 random bytes from
 * the system for every id when it picks them itself, which a bulk import's hundreds of thousands of
 * ids feel; here they come from a buffer refilled a few kilobytes at a time, as Node's randomUUID
 * does, and the counter is kept here since `uuid` keeps it only for the ids it draws bytes for.
 */
export function timeOrderedId(): string {
  if (used === entropy.length) {
    randomFillSync(entropy);
    used = 0;
  }
  const random = entropy.subarray(used, (used += ID_RANDOM_BYTES));
  const now = Date.now();
  if (now > lastMsecs) {
    // A new millisecond starts its counter at a random 31-bit value, leaving room to count up.
    lastMsecs = now;
    lastSeq = ((random[6] & 0x7f) << 24) | (random[7] << 16) | (random[8] << 8) | random[9];
  } else {
    // Same millisecond (or the clock went back): count up; past the counter's end, borrow the next millisecond.
    lastSeq = (lastSeq + 1) | 0;
    if (lastSeq === 0) lastMsecs += 1;
  }
  return uuidv7({ random, msecs: lastMsecs, seq: lastSeq });
}
