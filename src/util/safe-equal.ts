/**
 * Constant-time string equality, for secrets a caller presents (client secrets, API keys, OAuth
 * `state`, confirmation bindings, the simulator's tokens).
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether `a` equals `b`, in time that depends on neither. Both sides are hashed (SHA-256) first,
 * so the comparison takes the same time whatever the lengths, and `timingSafeEqual` never sees
 * unequal lengths.
 */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}
