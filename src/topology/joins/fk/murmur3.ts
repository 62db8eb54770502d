/**
 * Murmur3 x64 128-bit, as Kafka Streams' `Murmur3.hash128` computes it (its port of Hive's): the foreign-key join
 * hashes the primary table's serialized value with it, and the hash travels in the subscription and response
 * wrappers, so it must be bit-identical with Kafka's for instances of both to interoperate.
 */

/** Kafka Streams' `Murmur3.DEFAULT_SEED`, the seed the foreign-key join uses. */
export const MURMUR3_DEFAULT_SEED = 104729;

const MASK = (1n << 64n) - 1n;
const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;

const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK;
const add = (a: bigint, b: bigint): bigint => (a + b) & MASK;
const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & MASK;

function fmix64(h: bigint): bigint {
  h ^= h >> 33n;
  h = mul(h, 0xff51afd7ed558ccdn);
  h ^= h >> 33n;
  h = mul(h, 0xc4ceb9fe1a85ec53n);
  h ^= h >> 33n;
  return h;
}

const mixK1 = (k1: bigint): bigint => mul(rotl(mul(k1, C1), 31n), C2);
const mixK2 = (k2: bigint): bigint => mul(rotl(mul(k2, C2), 33n), C1);

/** Little-endian 64-bit word of `length` bytes (1–8) at `offset`. */
function word(data: Uint8Array, offset: number, length: number): bigint {
  let k = 0n;
  for (let i = length - 1; i >= 0; i--) k = (k << 8n) | BigInt(data[offset + i]!);
  return k;
}

/**
 * The 128-bit hash as 16 bytes: Kafka's two longs `h1`, `h2`, each big-endian, which is how the wrappers carry
 * them (`ByteBuffer.putLong`). The seed is read as Java's `int`, sign-extended, as Kafka does.
 */
export function murmur3Hash128(data: Uint8Array, seed: number = MURMUR3_DEFAULT_SEED): Buffer {
  let h1 = BigInt.asUintN(64, BigInt(seed | 0));
  let h2 = h1;
  const length = data.length;
  const blocks = length >> 4;
  for (let i = 0; i < blocks; i++) {
    const offset = i << 4;
    h1 ^= mixK1(word(data, offset, 8));
    h1 = add(mul(add(rotl(h1, 27n), h2), 5n), 0x52dce729n);
    h2 ^= mixK2(word(data, offset + 8, 8));
    h2 = add(mul(add(rotl(h2, 31n), h1), 5n), 0x38495ab5n);
  }
  const tail = blocks << 4;
  const rest = length - tail;
  if (rest > 8) h2 ^= mixK2(word(data, tail + 8, rest - 8));
  if (rest > 0) h1 ^= mixK1(word(data, tail, Math.min(rest, 8)));
  h1 ^= BigInt(length);
  h2 ^= BigInt(length);
  h1 = add(h1, h2);
  h2 = add(h2, h1);
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 = add(h1, h2);
  h2 = add(h2, h1);
  const hash = Buffer.allocUnsafe(16);
  hash.writeBigUInt64BE(h1, 0);
  hash.writeBigUInt64BE(h2, 8);
  return hash;
}
