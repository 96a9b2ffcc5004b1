import type { Client } from '@temporalio/client';
import { QueryNotRegisteredError, WorkflowNotFoundError } from '@temporalio/client';
import type { PlantflowConfig } from '../../runtime/config';
import { reauthenticatorFromConfig } from '../api/signing/from-config';
import { withSigningLockout } from '../api/signing/lockout';
import { SignerClient } from '../signers';
import { createLogger } from '../../runtime/logger';
import type { ReauthProof } from '../api/signing/reauth';
import { listExceptionsOfSites } from '../exception-listing';
import { checkStackHealth } from '../health';
import { ApiCallError, type PlantflowHttpClient } from '../http';
import { PlantflowClient, policyOptions } from '../index';
import { lotRecordPdf } from '../lot-record/pdf';

type Http = PlantflowHttpClient;

/**
 * What the CLI does, whichever way it reaches plantflow: straight to Temporal (with the workers'
 * configuration) or through the HTTP API from another machine (`--api-url` and an API key). The shapes
 * are the HTTP API's, so signing always carries the signer's re-authentication.
 */
export interface CliOperations {
  health: Http['health'];
  orders: Pick<
    Http['orders'],
    'release' | 'status' | 'amend' | 'timeline' | 'placeHold' | 'liftHold' | 'complete' | 'resolveParkedStep'
  >;
  lots: Pick<
    Http['lots'],
    'status' | 'genealogy' | 'list' | 'disposition' | 'placeHold' | 'liftHold' | 'record' | 'recordPdf'
  >;
  ncrs: Pick<Http['ncrs'], 'open' | 'status' | 'list' | 'dispose' | 'coSign' | 'recordRootCause' | 'close'>;
  exceptions: Http['exceptions'];
  /** A read failed because the run does not exist (yet) or is not ready to answer. */
  notFound(err: unknown): boolean;
}

export function httpOperations(http: Http): CliOperations {
  return {
    health: () => http.health(),
    orders: http.orders,
    lots: http.lots,
    ncrs: http.ncrs,
    exceptions: http.exceptions,
    notFound: (err) => err instanceof ApiCallError && (err.status === 404 || err.code === 'not_ready'),
  };
}

/** Straight to Temporal: signing re-authenticates here, against the same users file or issuer as the API. */
export function temporalOperations(client: Client, config: PlantflowConfig): CliOperations {
  const pf = new PlantflowClient(client, policyOptions(config));
  const reauth = withSigningLockout(reauthenticatorFromConfig(config), {
    signers: new SignerClient(client, config.signing),
    exceptions: pf.exceptions,
    site: config.sites[0]!,
    logger: createLogger(config.logLevel, 'plantflow-cli'),
  });
  const verify = (proof: ReauthProof) => reauth.verify(proof);
  return {
    health: () => checkStackHealth(client, config),
    orders: {
      release: (order) => pf.orders.release(order),
      status: (site, ref) => pf.orders.status(site, ref),
      amend: (site, ref, req) => pf.orders.amend(site, ref, req),
      timeline: (site, ref) => pf.orders.timeline(site, ref),
      placeHold: (site, ref, hold) => pf.orders.placeHold(site, ref, hold),
      liftHold: (site, ref, req) => pf.orders.liftHold(site, ref, req),
      complete: (site, ref, req) => pf.orders.complete(site, ref, req),
      resolveParkedStep: (site, ref, req) => pf.orders.resolveParkedStep(site, ref, req),
    },
    lots: {
      status: (material, lotId) => pf.lots.status(material, lotId),
      genealogy: (material, lotId, o) => pf.lots.genealogy(material, lotId, o),
      list: (filter) => pf.lots.list(filter),
      disposition: async (material, lotId, input, proof, review) =>
        review
          ? pf.records.release(material, lotId, input, await verify(proof), review)
          : pf.lots.disposition(material, lotId, input, await verify(proof)),
      record: (material, lotId) => pf.records.serve(material, lotId),
      recordPdf: async (material, lotId) => lotRecordPdf(await pf.records.serve(material, lotId)),
      placeHold: (material, lotId, req) => pf.lots.placeHold(material, lotId, req),
      liftHold: (material, lotId, req) => pf.lots.liftHold(material, lotId, req),
    },
    ncrs: {
      open: (input) => pf.ncrs.open(input),
      status: (ncrId) => pf.ncrs.status(ncrId),
      list: (filter) => pf.ncrs.list(filter),
      dispose: async (ncrId, line, proof) => pf.ncrs.dispose(ncrId, line, await verify(proof)),
      coSign: async (ncrId, lineId, reason, proof) => pf.ncrs.coSign(ncrId, lineId, reason, await verify(proof)),
      recordRootCause: (ncrId, req) => pf.ncrs.recordRootCause(ncrId, req),
      close: async (ncrId, reason, proof) => pf.ncrs.close(ncrId, reason, await verify(proof)),
    },
    exceptions: {
      list: ({ site, status, kind, limit, ...subject } = {}) =>
        listExceptionsOfSites(pf.exceptions, site ? [site] : config.sites, { status, kind, limit, subject }),
      decide: (site, exceptionId, d) =>
        pf.exceptions.decide(site, { exceptionId, action: d.action, reason: d.reason, by: d.by ?? 'cli' }),
    },
    notFound: (err) => err instanceof WorkflowNotFoundError || err instanceof QueryNotRegisteredError,
  };
}
