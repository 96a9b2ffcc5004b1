import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../runtime/config';
import { generateCodecKey } from '../../../runtime/codec';
import { embeddedApiKeys, withEmbeddedDefaults } from '../../../runtime/embedded-data';
import { ensureEmbeddedSecrets } from '../../../scripts/embedded-secrets';

/** A second terminal after `npm start`: the CLI finds the keys the stack seeded, unless told otherwise. */
describe('embedded data directory: what npm start seeds, the CLI and the demo read', () => {
  const seeded = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-embedded-'));
    ensureEmbeddedSecrets(dir, {});
    return dir;
  };

  it('completes an environment that names no keys with the seeded files, and the config reads them', () => {
    const dir = seeded();
    const env = withEmbeddedDefaults({ PLANTFLOW_DATA_DIR: dir });
    assert.deepEqual(
      [env.PLANTFLOW_API_KEYS_FILE, env.PLANTFLOW_CODEC_KEYS_FILE, env.PLANTFLOW_USERS_FILE],
      [join(dir, 'api-keys.json'), join(dir, 'codec-keys'), join(dir, 'users.json')],
    );
    const config = loadConfig(env);
    assert.equal(config.codec?.activeKeyId, 'local-1');
    const keys = embeddedApiKeys(dir)!;
    assert.deepEqual(config.api.keys[keys.planner!], ['planner']);
  });

  it('leaves what the environment names alone, and adds nothing when the stack never ran here', () => {
    const dir = seeded();
    const key = `prod-1:${generateCodecKey()}`;
    const env = withEmbeddedDefaults({
      PLANTFLOW_DATA_DIR: dir,
      PLANTFLOW_CODEC_KEYS: key,
      PLANTFLOW_OIDC_ISSUER: 'x',
    });
    assert.equal(env.PLANTFLOW_CODEC_KEYS_FILE, undefined);
    assert.equal(env.PLANTFLOW_USERS_FILE, undefined, 'an OIDC issuer replaces the users file');
    assert.equal(env.PLANTFLOW_API_KEYS_FILE, join(dir, 'api-keys.json'));
    const empty = mkdtempSync(join(tmpdir(), 'pf-empty-'));
    assert.deepEqual(withEmbeddedDefaults({ PLANTFLOW_DATA_DIR: empty }), { PLANTFLOW_DATA_DIR: empty });
    assert.equal(embeddedApiKeys(empty), undefined);
  });

  it('names a codec key file that holds no key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-broken-'));
    writeFileSync(join(dir, 'codec-keys'), '\n');
    assert.throws(
      () => loadConfig(withEmbeddedDefaults({ PLANTFLOW_DATA_DIR: dir })),
      /PLANTFLOW_CODEC_KEYS: no key given/,
    );
  });
});
