import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { createApiMetrics } from '../../../client/api/metrics';
import type { PlantHealth } from '../../../client/plant-health';
import { createWorkerMetrics } from '../../../runtime/business-metrics';

const root = resolve(__dirname, '../../..');
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');

/** Metric names plantflow defines (the API's and the workers'); nothing is collected, only named. */
const defined = new Set(
  [createWorkerMetrics().registry, createApiMetrics({} as PlantHealth).registry].flatMap((r) =>
    r.getMetricsAsArray().map((m) => m.name),
  ),
);

describe('Prometheus and Grafana (deploy/) against the metrics plantflow defines', () => {
  const dashboard = JSON.parse(read('deploy/grafana/dashboards/plantflow.json')) as {
    panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  };
  const used = new Set(
    dashboard.panels.flatMap((p) =>
      p.targets.flatMap((t) =>
        [...t.expr.matchAll(/plantflow_\w+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, '')),
      ),
    ),
  );

  it('the dashboard reads only metrics plantflow exports, and shows every one of them', () => {
    assert.deepEqual(
      [...used].filter((name) => !defined.has(name)),
      [],
      'panels on metrics nobody exports',
    );
    assert.deepEqual([...defined].filter((name) => !used.has(name)).sort(), [], 'metrics no panel shows');
  });

  it('Prometheus scrapes the API, every worker on the ports compose binds, and the edge', () => {
    const compose = parse(read('docker-compose.yml')) as {
      'x-plantflow-env': Record<string, string>;
      services: Record<string, { volumes?: string[]; environment?: Record<string, string> }>;
    };
    const env = compose['x-plantflow-env'];
    const businessPort = env.PLANTFLOW_BUSINESS_METRICS_BIND!.split(':')[1];
    const sdkPort = env.PLANTFLOW_METRICS_BIND!.split(':')[1];
    const prometheus = parse(read('deploy/prometheus/prometheus.yml')) as {
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
    };
    const targets = Object.fromEntries(
      prometheus.scrape_configs.map((j) => [j.job_name, j.static_configs.flatMap((c) => c.targets)]),
    );
    const workers = Object.entries(compose.services)
      .filter(([, s]) => s.environment?.PLANTFLOW_WORKERS)
      .map(([name]) => name)
      .sort();
    assert.deepEqual(
      targets['plantflow-workers']!.slice().sort(),
      workers.map((w) => `${w}:${businessPort}`),
    );
    assert.deepEqual(
      targets['temporal-sdk']!.slice().sort(),
      workers.map((w) => `${w}:${sdkPort}`),
    );
    assert.deepEqual(targets['plantflow-api'], ['api:8080']);
    assert.ok(compose.services.prometheus!.volumes!.some((v) => v.startsWith('./deploy/prometheus/prometheus.yml:')));
    assert.ok(compose.services.grafana!.volumes!.some((v) => v.startsWith('./deploy/grafana/dashboards:')));
  });
});
