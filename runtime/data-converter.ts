import type { DataConverter } from '@temporalio/common';
import type { PlantflowConfig } from './config';
import { EncryptionCodec, NoKeyCodec } from './codec';

/** The same converter goes to every worker, client and test environment, or payloads will not decode. */
export function createDataConverter(codec: PlantflowConfig['codec']): DataConverter {
  if (!codec) return { payloadCodecs: [new NoKeyCodec()] };
  return { payloadCodecs: [new EncryptionCodec(codec.keys, codec.activeKeyId)] };
}
