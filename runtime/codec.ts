import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_LENGTH = 12;
const TAG_LENGTH = 16;

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * AES-256-GCM payload codec with key ids, so keys can be rotated: new payloads use the active key, old
 * ones decrypt with the key named in their metadata. Same metadata names as Temporal's samples, so the
 * Web UI and other SDKs' codec servers interoperate.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;

  constructor(
    keys: Record<string, string>,
    private readonly activeKeyId: string,
  ) {
    this.keys = new Map(Object.entries(keys).map(([id, b64]) => [id, Buffer.from(b64, 'base64')]));
    if (!this.keys.has(activeKeyId)) throw new Error(`codec: active key "${activeKeyId}" not configured`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.activeKeyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_LENGTH);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: enc.encode(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: enc.encode(this.activeKeyId),
        },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!isEncrypted(payload)) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
      const keyId = keyIdBytes ? dec.decode(keyIdBytes) : '';
      const key = this.keys.get(keyId);
      if (!key)
        throw new CodecKeyMissingError(
          `PLANTFLOW_CODEC_KEYS has no key "${keyId}": this payload was encrypted with it (configured: ${[...this.keys.keys()].join(', ')})`,
        );
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const iv = data.subarray(0, IV_LENGTH);
      const tag = data.subarray(data.length - TAG_LENGTH);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_LENGTH, data.length - TAG_LENGTH)),
        decipher.final(),
      ]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/** A payload that cannot be read because a key is missing; the message names the variable to set. */
export class CodecKeyMissingError extends Error {
  override readonly name = 'CodecKeyMissingError';
}

const isEncrypted = (payload: Payload) => {
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  return encoding !== undefined && dec.decode(encoding) === ENCRYPTED_ENCODING;
};

/**
 * The codec of a process configured without keys: payloads pass as they are, and an encrypted one is
 * refused with the variable to set instead of the SDK's "Unknown encoding: binary/encrypted".
 */
export class NoKeyCodec implements PayloadCodec {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads;
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    if (payloads.some(isEncrypted))
      throw new CodecKeyMissingError(
        'the payloads are encrypted and no codec key is configured: set PLANTFLOW_CODEC_KEYS (or PLANTFLOW_CODEC_KEYS_FILE) to the keys the workers use',
      );
    return payloads;
  }
}

export function generateCodecKey(): string {
  return randomBytes(32).toString('base64');
}
