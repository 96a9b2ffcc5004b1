import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import axios from 'axios';
import type { EdgeHealth } from '../domain/edge';
import type { SystemProbes } from '../activities/probes';
import type { PlantflowConfig, SystemEndpoint } from '../runtime/config';
import { plantTaskQueue, TaskQueue } from '../workflows/task-queues';
import { EdgeClient } from './edges';

export interface QueueHealth {
  taskQueue: string;
  kind: 'workflow' | 'activity';
  pollers: number;
  lastPollAt?: string;
}

export interface SystemHealth {
  system: 'odoo' | 'sap' | 'qms' | 'mes';
  url: string;
  simulated: boolean;
  /** Simulators answer /__sim/health; a real system is only reported, not probed here. */
  up?: boolean;
  /** Odoo only: the served version against PLANTFLOW_ODOO_VERSION (a read-only call, real or simulated). */
  version?: { configured: string; served?: string; matches?: boolean; message: string };
}

export interface StackHealth {
  status: 'ok' | 'degraded' | 'down';
  temporal: { address: string; namespace: string; reachable: boolean; serverVersion?: string; error?: string };
  taskQueues: QueueHealth[];
  systems: SystemHealth[];
  /** Plant edges that have reported: last contact, backlog, and whether they went silent. */
  edges: EdgeHealth[];
}

/** Every queue plantflow needs served: the workflow queue, one per system, one per plant. */
export function expectedQueues(config: Pick<PlantflowConfig, 'sites'>): Array<Omit<QueueHealth, 'pollers'>> {
  return [
    { taskQueue: TaskQueue.workflows, kind: 'workflow' },
    { taskQueue: TaskQueue.odoo, kind: 'activity' },
    { taskQueue: TaskQueue.sap, kind: 'activity' },
    { taskQueue: TaskQueue.qms, kind: 'activity' },
    ...config.sites.map((site) => ({ taskQueue: plantTaskQueue(site), kind: 'activity' as const })),
  ];
}

async function queueHealth(client: Client, namespace: string, q: Omit<QueueHealth, 'pollers'>): Promise<QueueHealth> {
  const { TaskQueueType, TaskQueueKind } = temporal.api.enums.v1;
  const res = await client.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: q.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType:
      q.kind === 'workflow' ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
  });
  const pollers = res.pollers ?? [];
  const last = pollers
    .map((p) => (p.lastAccessTime?.seconds ? Number(p.lastAccessTime.seconds) * 1000 : 0))
    .reduce((a, b) => Math.max(a, b), 0);
  return { ...q, pollers: pollers.length, lastPollAt: last ? new Date(last).toISOString() : undefined };
}

async function systemHealth(system: SystemHealth['system'], endpoint: SystemEndpoint): Promise<SystemHealth> {
  const base: SystemHealth = { system, url: endpoint.url, simulated: endpoint.simulated };
  if (!endpoint.simulated) return base;
  try {
    const res = await axios.get(`${endpoint.url}/__sim/health`, { timeout: 2_000, validateStatus: () => true });
    return { ...base, up: res.status === 200 };
  } catch {
    return { ...base, up: false };
  }
}

async function odooVersion(
  odoo: PlantflowConfig['odoo'],
  probes: SystemProbes,
): Promise<NonNullable<SystemHealth['version']>> {
  try {
    const check = await probes.odooConnection(odoo);
    return {
      configured: check.configuredVersion,
      served: check.serverVersion,
      matches: check.versionMatches,
      message: check.message,
    };
  } catch (err) {
    return {
      configured: odoo.version,
      message: `Odoo at ${odoo.url} did not answer the version check (configured: ${odoo.version}): ${(err as Error).message}`,
    };
  }
}

/** `probes`: the checks only an adapter can make (the Odoo version); without them, those are not reported. */
export async function checkStackHealth(
  client: Client,
  config: PlantflowConfig,
  probes?: SystemProbes,
): Promise<StackHealth> {
  const namespace = config.temporal.namespace;
  const temporalStatus: StackHealth['temporal'] = { address: config.temporal.address, namespace, reachable: false };
  let taskQueues: QueueHealth[] = [];
  let edges: EdgeHealth[] = [];
  try {
    const info = await client.workflowService.getSystemInfo({});
    temporalStatus.reachable = true;
    temporalStatus.serverVersion = info.serverVersion ?? undefined;
    [taskQueues, edges] = await Promise.all([
      Promise.all(expectedQueues(config).map((q) => queueHealth(client, namespace, q))),
      new EdgeClient(client, config.edge.silentAfterMs).list(),
    ]);
  } catch (err) {
    temporalStatus.error = (err as Error).message;
    taskQueues = expectedQueues(config).map((q) => ({ ...q, pollers: 0 }));
  }
  const systems = await Promise.all([
    systemHealth('odoo', config.odoo).then(async (h) =>
      probes ? { ...h, version: await odooVersion(config.odoo, probes) } : h,
    ),
    systemHealth('sap', config.sap),
    systemHealth('qms', config.qms),
    systemHealth('mes', config.mes),
  ]);
  const allServed = taskQueues.every((q) => q.pollers > 0);
  const simsUp = systems.every((s) => s.up !== false && s.version?.matches !== false);
  const edgesOk = edges.every((e) => e.state === 'ok');
  const status = !temporalStatus.reachable ? 'down' : allServed && simsUp && edgesOk ? 'ok' : 'degraded';
  return { status, temporal: temporalStatus, taskQueues, systems, edges };
}
