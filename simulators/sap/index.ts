import type { FastifyReply } from 'fastify';
import { StateFile } from '../shared/persistence';
import { SimulatorServer } from '../shared/server';
import { errorBody, ODataError } from './odata/errors';
import { registerODataRoutes } from './odata/router';
import { SessionStore } from './odata/session';
import { batchService } from './services/batch';
import { confirmationService } from './services/confirmation';
import { inspectionLotService } from './services/inspection-lot';
import { materialDocumentService } from './services/material-document';
import { productionOrderService } from './services/production-order';
import { defectService } from './services/quality';
import { qualityNotificationV4Service } from './services/quality-notification';
import { registerODataV4Service } from './odata4/v4';
import { SapModel } from './state/model';
import type { SapState } from './state/types';

export interface SapSimulatorOptions {
  /** Persist business state here (survives restarts of the embedded stack). */
  stateFile?: string;
  /** Communication user for basic auth (default plantflow / plantflow). */
  user?: string;
  password?: string;
  logger?: boolean;
}

export interface SapSimulator {
  server: SimulatorServer;
  model: SapModel;
  /** CSRF sessions (tests read `tokenFetches`). */
  sessions: SessionStore;
  /** Writes pending state to the state file and stops the server. */
  stop(): Promise<void>;
}

/**
 * Generic faults in SAP's shape: the ICM answers 502/503/504 with an HTML page, a dump (500) comes back as
 * a Gateway error body, throttling in front of S/4 (429) as plain text with Retry-After (set by the server).
 */
function sapFaultReply(reply: FastifyReply, status: number, reason: string): FastifyReply {
  if (status === 500) {
    return reply
      .code(500)
      .type('application/json')
      .send(
        JSON.stringify(
          errorBody(
            new ODataError(500, '/IWBEP/CM_MGW_RT/102', `Runtime error in the application (simulated: ${reason})`),
            undefined,
          ),
        ),
      );
  }
  if (status === 429)
    return reply.code(429).type('text/plain').send('Rate limit quota violation. Quota limit exceeded.');
  const title = status === 503 ? 'Service Unavailable' : status === 504 ? 'Gateway Timeout' : 'Error';
  return reply
    .code(status)
    .type('text/html')
    .send(
      `<html><head><title>${title}</title></head><body><h1>${status} ${title}</h1><p>SAP Web Dispatcher / ICM: ${reason}. Please try again later.</p><hr><p>Server: SAP NetWeaver Application Server (simulated)</p></body></html>`,
    );
}

export function createSapSimulator(options: SapSimulatorOptions = {}): SapSimulator {
  const server = new SimulatorServer({ name: 'sap', faultReply: sapFaultReply, logger: options.logger });
  const model = new SapModel(server.faults);
  const sessions = new SessionStore();
  const stateFile = options.stateFile ? new StateFile<SapState>(options.stateFile, () => model.state) : undefined;
  registerODataRoutes({
    server,
    sessions,
    user: options.user ?? 'plantflow',
    password: options.password ?? 'plantflow',
    services: [
      productionOrderService(model),
      confirmationService(model),
      materialDocumentService(model),
      batchService(model),
      inspectionLotService(model),
      defectService(model),
    ],
    afterWrite: () => stateFile?.changed(),
  });
  registerODataV4Service({
    server,
    sessions,
    user: options.user ?? 'plantflow',
    password: options.password ?? 'plantflow',
    service: qualityNotificationV4Service(model),
    afterWrite: () => stateFile?.changed(),
  });
  server.attach({
    reset: () => {
      model.reset();
      sessions.reset();
      stateFile?.changed();
    },
    dump: () => model.state,
    commit: stateFile && (() => stateFile.commit()),
  });
  const saved = stateFile?.load();
  if (saved) model.load(saved);
  return {
    server,
    model,
    sessions,
    async stop() {
      stateFile?.flush();
      await server.stop();
    },
  };
}
