import assert from 'node:assert/strict';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec, generateCodecKey, NoKeyCodec } from '../../../runtime/codec';

describe('payload codec (AES-256-GCM with key ids)', () => {
  const value = { lot: 'FG-1', signer: 'Marc Dubois' };
  const plain = defaultPayloadConverter.toPayload(value);
  const valueOf = (payloads: Parameters<typeof defaultPayloadConverter.fromPayload>[0][]) =>
    defaultPayloadConverter.fromPayload(payloads[0]!);

  it('encrypts, and decrypts with the key named in the payload', async () => {
    const codec = new EncryptionCodec({ k1: generateCodecKey() }, 'k1');
    const [encrypted] = await codec.encode([plain]);
    assert.ok(!Buffer.from(encrypted!.data!).toString().includes('Marc Dubois'));
    assert.equal(Buffer.from(encrypted!.metadata!['encryption-key-id']!).toString(), 'k1');
    assert.deepEqual(valueOf(await codec.decode([encrypted!])), value);
  });

  it('after a key rotation, old payloads still decode and new ones use the new key', async () => {
    const k1 = generateCodecKey();
    const old = await new EncryptionCodec({ k1 }, 'k1').encode([plain]);
    const rotated = new EncryptionCodec({ k1, k2: generateCodecKey() }, 'k2');
    assert.deepEqual(valueOf(await rotated.decode(old)), value);
    const [fresh] = await rotated.encode([plain]);
    assert.equal(Buffer.from(fresh!.metadata!['encryption-key-id']!).toString(), 'k2');
  });

  it('refuses a tampered payload and an unknown key; passes plain payloads through', async () => {
    const codec = new EncryptionCodec({ k1: generateCodecKey() }, 'k1');
    const [encrypted] = await codec.encode([plain]);
    const tampered = { ...encrypted!, data: Buffer.from(encrypted!.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    await assert.rejects(codec.decode([tampered]));
    await assert.rejects(
      new EncryptionCodec({ other: generateCodecKey() }, 'other').decode([encrypted!]),
      /PLANTFLOW_CODEC_KEYS has no key "k1": this payload was encrypted with it \(configured: other\)$/,
    );
    assert.deepEqual(await codec.decode([plain]), [plain]);
  });

  it('without keys, an encrypted payload is refused naming the variable to set; plain payloads pass', async () => {
    const [encrypted] = await new EncryptionCodec({ k1: generateCodecKey() }, 'k1').encode([plain]);
    const none = new NoKeyCodec();
    await assert.rejects(none.decode([plain, encrypted!]), (err: Error) => {
      assert.match(
        err.message,
        /no codec key is configured: set PLANTFLOW_CODEC_KEYS \(or PLANTFLOW_CODEC_KEYS_FILE\)/,
      );
      assert.doesNotMatch(err.message, /\n/, 'one line');
      return true;
    });
    assert.deepEqual(await none.decode([plain]), [plain]);
    assert.deepEqual(await none.encode([plain]), [plain]);
  });
});
