import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { PLANTFLOW_SEARCH_ATTRIBUTES } from '../../../workflows/search-attributes';
import { loadConfig, WORKER_GROUPS } from '../../../runtime/config';

/** Every variable loadConfig looks at, with the defaults and with the optional parts (TLS, OIDC …) switched on. */
const variablesReadByConfig = (() => {
  const read = new Set<string>();
  const recording = (env: Record<string, string>) =>
    new Proxy(env, {
      get(target, key) {
        if (typeof key === 'string') read.add(key);
        return target[key as string];
      },
    });
  loadConfig(recording({}));
  loadConfig(
    recording({
      TEMPORAL_TLS: 'true',
      PLANTFLOW_SAP_CLIENT: '100',
      PLANTFLOW_NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:9/hook',
      PLANTFLOW_OIDC_ISSUER: 'https://id.example.com',
      PLANTFLOW_OIDC_AUDIENCE: 'plantflow',
      PLANTFLOW_OIDC_JWKS_URL: 'https://id.example.com/jwks',
    }),
  );
  return read;
})();

/** No Docker engine runs here, so the production compose file is checked for consistency instead. */
describe('docker-compose.yml (production topology)', () => {
  const root = resolve(__dirname, '../../..');
  const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8')) as {
    services: Record<
      string,
      {
        image?: string;
        build?: string;
        command?: string[];
        environment?: Record<string, string>;
        secrets?: string[];
        ports?: string[];
        restart?: string;
      }
    >;
    secrets: Record<string, unknown>;
  };

  it('runs Temporal on PostgreSQL with its Web UI, plus every plantflow worker group and the API', () => {
    assert.match(compose.services.temporal!.image!, /^temporalio\/auto-setup:/);
    assert.equal(compose.services.temporal!.environment!.DB, 'postgres12');
    assert.match(compose.services['temporal-ui']!.image!, /^temporalio\/ui:/);
    const groups = Object.values(compose.services)
      .map((s) => s.environment?.PLANTFLOW_WORKERS)
      .filter(Boolean);
    assert.deepEqual([...groups].sort(), [...WORKER_GROUPS].sort());
    assert.ok(compose.services.api, 'API service');
    const edge = compose.services['plant-edge'];
    assert.deepEqual(edge!.command, ['node', 'dist/edge/main.js'], 'the plant edge runs its own process, compiled');
    assert.match(edge!.environment!.PLANTFLOW_EDGE_DB!, /^\/var\/lib\/plantflow\//, 'its backlog on a volume');
  });

  it('declares every secret it mounts and reads only variables the config knows', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const secret of service.secrets ?? [])
        assert.ok(compose.secrets[secret], `${name} mounts undeclared secret ${secret}`);
      for (const variable of Object.keys(service.environment ?? {}).filter(
        (v) => v.startsWith('PLANTFLOW_') || v.startsWith('TEMPORAL_'),
      )) {
        const base = variable.replace(/_FILE$/, '');
        if (name.startsWith('temporal') || name === 'postgresql') continue;
        assert.ok(
          variablesReadByConfig.has(variable) || variablesReadByConfig.has(base),
          `${name}: ${variable} is not read by runtime/config.ts`,
        );
      }
    }
  });

  it('runs compiled JavaScript: every plantflow service starts node on a dist/ file the build produces', () => {
    const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /RUN npm run build/);
    assert.match(dockerfile, /npm ci --omit=dev/);
    assert.doesNotMatch(dockerfile, /^(CMD|ENTRYPOINT).*ts-node/m);
    assert.match(dockerfile, /^CMD \["node", "dist\/workers\/main.js"\]$/m);
    const built = Object.entries(compose.services).filter(([, s]) => s.build);
    assert.ok(built.length >= 6);
    for (const [name, service] of built) {
      assert.equal(service.restart, 'unless-stopped', `${name} is started again if it exits`);
      const [node, file, ...rest] = service.command ?? [];
      assert.deepEqual([node, rest], ['node', []], `${name} runs node`);
      assert.match(file!, /^dist\/.+\.js$/, `${name} runs a file of dist/`);
      const source = resolve(root, file!.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
      assert.ok(existsSync(source), `${name}: ${file} is compiled from ${source}`);
    }
  });

  it('registers exactly plantflow’s search attributes and publishes ports on loopback only', () => {
    const registration = JSON.stringify(compose.services['temporal-search-attributes']);
    for (const sa of PLANTFLOW_SEARCH_ATTRIBUTES)
      assert.ok(registration.includes(`${sa.name}=`), `${sa.name} registered`);
    for (const service of Object.values(compose.services))
      for (const port of service.ports ?? []) assert.match(port, /^127\.0\.0\.1:/);
  });
});
