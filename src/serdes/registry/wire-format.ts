/** Confluent's wire format: a magic byte 0, the schema id as a big-endian int32, then the encoded payload. */
export const MAGIC_BYTE = 0;
export const HEADER_BYTES = 5;

export function frame(schemaId: number, payload: Buffer): Buffer {
  const bytes = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  bytes[0] = MAGIC_BYTE;
  bytes.writeInt32BE(schemaId, 1);
  payload.copy(bytes, HEADER_BYTES);
  return bytes;
}

export type Unframed = { readonly schemaId: number; readonly payload: Buffer } | { readonly problem: string };

/** The schema id and payload of framed bytes, or what is wrong with them (too short, or another magic byte). */
export function unframe(bytes: Buffer): Unframed {
  if (bytes.length < HEADER_BYTES) {
    return { problem: `${bytes.length} bytes are too short for the Schema Registry wire format (a magic byte 0 and a 4-byte schema id)` };
  }
  if (bytes[0] !== MAGIC_BYTE) {
    return { problem: `magic byte ${bytes[0]} where the Schema Registry wire format has ${MAGIC_BYTE}: not written by a registry serde` };
  }
  return { schemaId: bytes.readInt32BE(1), payload: bytes.subarray(HEADER_BYTES) };
}
