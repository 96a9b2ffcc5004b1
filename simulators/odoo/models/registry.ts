import type { ModelDef, Registry } from '../orm/types';
import { versionTraits, type OdooVersion } from '../version';
import { genericMethods } from './generic';
import { messagePost } from './mail';
import { baseModels } from './schema-base';
import { mrpModels } from './schema-mrp';
import { qualityModels } from './schema-quality';
import { stockModels } from './schema-stock';

/** Every simulated model of one Odoo version, with BaseModel and mail.thread methods attached. */
export function buildRegistry(version: OdooVersion): Registry {
  const traits = versionTraits(version);
  const models = new Map<string, ModelDef>();
  for (const def of [...baseModels(traits), ...stockModels(traits), ...mrpModels(traits), ...qualityModels(traits)]) {
    models.set(def.name, {
      ...def,
      methods: {
        ...genericMethods(def.name),
        ...(def.mailThread ? { message_post: messagePost(def.name) } : {}),
        ...def.methods,
      },
    });
  }
  return { traits, models };
}
