import type { Writable } from 'node:stream';
import { PlantflowHttpClient } from '../client/http';
import type { Role } from '../domain/roles';
import type { PlantflowConfig } from '../runtime/config';
import { embeddedApiKeys, embeddedSignerPasswords, EMBEDDED_FILES } from '../runtime/embedded-data';
import { assertSimulatedErps } from './erp';
import { DEMO_PARTS, runPlantDay, type DemoPart, type DemoRole, type PlantDayResult } from './plant-day';
import { Progress } from './progress';

export interface DemoOptions {
  /** One part of the day (with the order it stands on); the whole day when absent. */
  scenario?: DemoPart;
  /** The HTTP API to play against (default: the configured public URL of the embedded stack). */
  apiUrl?: string;
  out?: Writable & { isTTY?: boolean };
  timeoutMs?: number;
}

const ROLES: DemoRole[] = ['planner', 'mes', 'qms', 'qa', 'qp', 'viewer'];

/** Which parts run for a scenario: the order part always, since the others work on what it made. */
export function partsFor(scenario?: DemoPart): DemoPart[] {
  if (!scenario) return [...DEMO_PARTS];
  if (!DEMO_PARTS.includes(scenario))
    throw new Error(`unknown scenario "${String(scenario)}": one of ${DEMO_PARTS.join(', ')}`);
  return scenario === 'order' ? ['order'] : ['order', scenario];
}

/**
 * `npm run demo`: the plant day against the running embedded stack, as its people would act — each
 * with the API key of their role and the signers with their own passwords, all kept by `npm start` in
 * the data directory. Prints the links to every run in the Web UI at the end.
 */
export async function runDemo(config: PlantflowConfig, options: DemoOptions = {}): Promise<PlantDayResult> {
  assertSimulatedErps(config, 'the demo');
  const parts = partsFor(options.scenario);
  const keys = embeddedApiKeys(config.dataDir);
  const missing = ROLES.filter((r) => !keys?.[r]);
  if (!keys || missing.length)
    throw new Error(
      `the demo acts with the API keys npm start keeps in ${config.dataDir}/${EMBEDDED_FILES.apiKeys} (missing: ${missing.join(', ')}); start the stack with npm start first`,
    );
  const apiUrl = options.apiUrl ?? config.api.publicUrl;
  const api = Object.fromEntries(ROLES.map((r) => [r, new PlantflowHttpClient(apiUrl, keys[r as Role]!)])) as Record<
    DemoRole,
    PlantflowHttpClient
  >;
  const out = options.out ?? process.stdout;
  const health = await api.viewer.health().catch((err: Error) => {
    throw new Error(`${err.message} — is the stack running? (npm start, in another terminal)`);
  });
  if (health.status === 'down')
    throw new Error(`the stack is down: ${health.temporal.error ?? 'Temporal unreachable'} (npm start)`);
  const idle = health.taskQueues.filter((q) => q.pollers === 0).map((q) => q.taskQueue);
  if (idle.length) out.write(`note: no worker polls ${idle.join(', ')} yet; the day waits for them\n`);

  const result = await runPlantDay(
    {
      erp: config,
      api,
      passwords: embeddedSignerPasswords(config.dataDir) ?? {},
      progress: new Progress(out),
      site: config.sites[0],
      timeoutMs: options.timeoutMs,
    },
    parts,
  );
  const ui = `${config.webUi.url}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows`;
  const lines = [
    '',
    `The day's runs in the Temporal Web UI:`,
    ...result.workflowIds.map((id) => `  ${id.padEnd(26)} ${ui}/${encodeURIComponent(id)}`),
    `  all of order ${result.orderRef}:   ${ui}?query=${encodeURIComponent(`OrderRef = '${result.orderRef}'`)}`,
  ];
  if (await api.viewer.serves('/dashboard')) lines.push(`Plant health: ${apiUrl.replace(/\/+$/, '')}/dashboard`);
  lines.push(
    'From the command line:',
    `  node bin/plantflow.js order show ${result.site} ${result.orderRef} --timeline`,
    `  node bin/plantflow.js lot trace FG-100 ${result.lots.pumpsA} --direction backward`,
    ...(result.ncrId ? [`  node bin/plantflow.js ncr show ${result.ncrId}`] : []),
    '',
  );
  out.write(lines.join('\n'));
  return result;
}
