import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { backlogFill, BACKLOG_ALARM_RATIO } from '../domain/edge';
import { ConfigError, type EdgeConfig } from '../runtime/config';
import { CentralSite } from './central';
import { Forwarder } from './forwarder';
import { createEdgeMetrics } from './metrics';
import { buildEdgeServer } from './server';
import { EdgeStore } from './store';

export interface RunningEdge {
  url: string;
  store: EdgeStore;
  server: FastifyInstance;
  forwarder: Forwarder;
  /** Stops taking events, lets the attempt in flight settle, closes the store. */
  stop(): Promise<void>;
}

/** What an edge cannot run without: keys for the MES and a key for the central site. */
function checkConfig(config: EdgeConfig): void {
  if (!config.centralApiKey) {
    throw new ConfigError(
      'PLANTFLOW_EDGE_CENTRAL_API_KEY',
      'required to run an edge: a central API key with the roles mes and edge',
    );
  }
  if (!Object.values(config.keys).some((roles) => roles.includes('mes'))) {
    throw new ConfigError('PLANTFLOW_EDGE_API_KEYS', 'required to run an edge: at least one key with the role mes');
  }
}

/** The backlog alarm: logged once when the fill reaches 80 % of a limit, and once when it falls back. */
function backlogAlarm(store: EdgeStore, logger: Logger): () => void {
  let raised = false;
  return () => {
    const fill = backlogFill(store.backlog, store.limits);
    if (!raised && fill >= BACKLOG_ALARM_RATIO) {
      raised = true;
      logger.error(
        { backlog: store.backlog, limits: store.limits, fillPercent: Math.round(fill * 100) },
        `edge backlog at ${Math.round(fill * 100)} %: the central site has not taken events for a while; at 100 % the MES is refused (507)`,
      );
    } else if (raised && fill < BACKLOG_ALARM_RATIO) {
      raised = false;
      logger.info({ backlog: store.backlog }, 'edge backlog back below its alarm level');
    }
  };
}

/** Opens the backlog, starts forwarding and listens for the MES. */
export async function startEdge(config: EdgeConfig, logger: Logger): Promise<RunningEdge> {
  checkConfig(config);
  const log = logger.child({ component: 'edge', edgeId: config.id, site: config.site });
  const store = EdgeStore.open(config.database, config.site, {
    maxEvents: config.maxBacklogEvents,
    maxBytes: config.maxBacklogBytes,
  });
  const metrics = createEdgeMetrics(store);
  const alarm = backlogAlarm(store, log);
  const forwarder = new Forwarder(store, new CentralSite(config), config, log, metrics, alarm);
  const server = await buildEdgeServer({
    config,
    store,
    metrics,
    logger: log,
    onStored: () => forwarder.wake(),
    onBacklogChanged: alarm,
    live: () => forwarder.live,
  });
  const url = await server.listen({ host: config.host, port: config.port });
  alarm();
  forwarder.start();
  log.info(
    { url, central: config.centralUrl, database: config.database, backlog: store.backlog },
    'plant edge listening for the MES',
  );
  return {
    url,
    store,
    server,
    forwarder,
    async stop() {
      await server.close();
      await forwarder.stop();
      store.close();
      log.info({ backlog: store.backlog }, 'plant edge stopped; the backlog waits on disk');
    },
  };
}
