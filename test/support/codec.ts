import type { PlantflowConfig } from '../../runtime/config';

/**
 * A fixed, test-only payload key. Tests run with the same AES-GCM codec as production so the codec is
 * exercised end to end, and recorded histories stay decodable for the replay tests.
 */
export const TEST_CODEC: NonNullable<PlantflowConfig['codec']> = {
  keys: { 'test-key-1': Buffer.alloc(32, 7).toString('base64') },
  activeKeyId: 'test-key-1',
};
