import axios, { type AxiosInstance, type Method } from 'axios';
import type { MesEventInput } from '../domain/events';
import type { LotDispositionInput, SignedLotDisposition } from '../domain/lot-disposition';
import type { ReviewInput } from '../domain/lot-review';
import type { GenealogyTrace } from '../domain/lot-genealogy';
import type { LotInspectionInput } from '../domain/lot-inspection';
import type { RootCause } from '../domain/ncr';
import type { DispositionLine, DispositionRequest } from '../domain/ncr-dispositions';
import type { NcrOpenInput } from '../domain/ncr-requests';
import type { HoldRequest, LiftHoldRequest } from '../domain/notices';
import type { OrderAmendment, ProductionOrder, ProductionOrderInput } from '../domain/order';
import type { Role } from '../domain/roles';
import type {
  CompleteOrderRequest,
  MesBatchResult,
  NcrRootCauseRequest,
  ReleaseOrderAccepted,
  ResolveParkedStepRequest,
} from '../workflows/messages';
import type { TimelineEntry } from '../workflows/order/state';
import type { OrderStatusReport } from './orders';
import type { ReauthProof } from './api/signing/reauth';
import type { StackHealth } from './health';
import type { ServedLotRecord } from './lot-record/types';
import type { LotListFilter, LotListItem, LotStatusReport } from './lots';
import type { NcrStatusReport, NcrSummary } from './ncrs';
import type { SitesExceptionList } from './exception-listing';
import type { BusinessException, ExceptionAction, ExceptionKind } from '../domain/exceptions';

/** An answer of the HTTP API other than 2xx: its status and the JSON error body {code, message, details}. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = 'ApiCallError';
  }
}

const seg = encodeURIComponent;

/** The filters of GET /exceptions. */
export interface ExceptionListQuery {
  site?: string;
  status?: 'open' | 'resolved';
  kind?: ExceptionKind;
  orderRef?: string;
  material?: string;
  lotId?: string;
  ncrId?: string;
  eventId?: string;
  signerId?: string;
  limit?: number;
}

/**
 * The plantflow HTTP API from any machine that can reach it: the same operations as the TypeScript
 * client library, authenticated by one API key (whose roles decide what it may do). Signed actions send
 * the signer's re-authentication; the API verifies it before anything reaches Temporal.
 */
export class PlantflowHttpClient {
  private readonly http: AxiosInstance;

  constructor(
    readonly apiUrl: string,
    apiKey: string,
    options: { timeoutMs?: number } = {},
  ) {
    this.http = axios.create({
      baseURL: apiUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs ?? 30_000,
      headers: { authorization: `Bearer ${apiKey}`, 'user-agent': 'plantflow-cli/0.1' },
      validateStatus: () => true,
    });
  }

  private async call<T>(method: Method, path: string, body?: unknown, okStatuses: number[] = []): Promise<T> {
    let response;
    try {
      response = await this.http.request({ method, url: path, data: body });
    } catch (err) {
      throw new Error(`plantflow API at ${this.apiUrl} unreachable: ${(err as Error).message}`);
    }
    if ((response.status >= 200 && response.status < 300) || okStatuses.includes(response.status))
      return response.data as T;
    const error = (response.data ?? {}) as { code?: string; message?: string; details?: unknown };
    throw new ApiCallError(
      response.status,
      error.code ?? 'error',
      error.message ?? `${method} ${path} answered ${response.status}`,
      error.details,
    );
  }

  private query(params: Record<string, string | number | boolean | undefined>): string {
    const entries = Object.entries(params).flatMap(([k, v]): Array<[string, string]> =>
      v === undefined ? [] : [[k, String(v)]],
    );
    return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
  }

  /** Temporal, pollers and systems; a 503 still carries the report. */
  health(): Promise<StackHealth> {
    return this.call('GET', '/health', undefined, [503]);
  }

  whoami(): Promise<{ keyId: string; roles: Role[] }> {
    return this.call('GET', '/whoami');
  }

  /** Whether the API serves a page at this path (the plant health page comes with its own release). */
  async serves(path: string): Promise<boolean> {
    const response = await this.http.get(path).catch(() => undefined);
    return response?.status === 200;
  }

  /** Business exceptions (GET /exceptions, POST /exceptions/:site/:exceptionId/decision). */
  readonly exceptions = {
    list: (filter: ExceptionListQuery = {}): Promise<SitesExceptionList> =>
      this.call('GET', `/exceptions${this.query({ ...filter })}`),
    decide: (
      site: string,
      exceptionId: string,
      decision: { action: ExceptionAction; reason: string; by?: string },
    ): Promise<BusinessException> =>
      this.call('POST', `/exceptions/${seg(site)}/${seg(exceptionId)}/decision`, decision),
  };

  readonly orders = {
    release: (order: ProductionOrderInput): Promise<ReleaseOrderAccepted> => this.call('POST', '/orders', order),
    status: (site: string, ref: string): Promise<OrderStatusReport> =>
      this.call('GET', `/orders/${seg(site)}/${seg(ref)}`),
    amend: (site: string, ref: string, req: OrderAmendment): Promise<{ status: string; erp: ProductionOrder['erp'] }> =>
      this.call('POST', `/orders/${seg(site)}/${seg(ref)}/amend`, req),
    timeline: (site: string, ref: string): Promise<TimelineEntry[]> =>
      this.call('GET', `/orders/${seg(site)}/${seg(ref)}/timeline`),
    reportMesEvents: async (events: MesEventInput[]): Promise<MesBatchResult[]> =>
      (await this.call<{ results: MesBatchResult[] }>('POST', '/mes/events', { events })).results,
    placeHold: (site: string, ref: string, hold: HoldRequest): Promise<{ holds: number }> =>
      this.call('POST', `/orders/${seg(site)}/${seg(ref)}/holds`, hold),
    liftHold: (site: string, ref: string, req: LiftHoldRequest): Promise<{ holds: number }> =>
      this.call('POST', `/orders/${seg(site)}/${seg(ref)}/holds/${seg(req.holdId)}/lift`, {
        reason: req.reason,
        by: req.by,
      }),
    complete: (site: string, ref: string, req: CompleteOrderRequest): Promise<{ status: string }> =>
      this.call('POST', `/orders/${seg(site)}/${seg(ref)}/complete`, req),
    resolveParkedStep: (site: string, ref: string, req: ResolveParkedStepRequest) =>
      this.call<{ step: string; action: string }>('POST', `/orders/${seg(site)}/${seg(ref)}/parked`, req),
  };

  readonly lots = {
    status: (material: string, lotId: string): Promise<LotStatusReport> =>
      this.call('GET', `/lots/${seg(material)}/${seg(lotId)}`),
    genealogy: (
      material: string,
      lotId: string,
      o: { direction: 'backward' | 'forward'; depth?: number },
    ): Promise<GenealogyTrace> => this.call('GET', `/lots/${seg(material)}/${seg(lotId)}/genealogy${this.query(o)}`),
    list: (filter: LotListFilter = {}): Promise<LotListItem[]> => this.call('GET', `/lots${this.query({ ...filter })}`),
    recordInspection: (input: LotInspectionInput): Promise<{ workflowId: string; eventId: string }> =>
      this.call('POST', '/inspections', input),
    disposition: (
      material: string,
      lotId: string,
      input: LotDispositionInput,
      signature: ReauthProof,
      review?: ReviewInput,
    ): Promise<SignedLotDisposition> =>
      this.call('POST', `/lots/${seg(material)}/${seg(lotId)}/disposition`, {
        ...input,
        signature,
        ...(review ? { review } : {}),
      }),
    record: (material: string, lotId: string): Promise<ServedLotRecord> =>
      this.call('GET', `/lots/${seg(material)}/${seg(lotId)}/record`),
    recordPdf: async (material: string, lotId: string): Promise<Buffer> => {
      const path = `/lots/${seg(material)}/${seg(lotId)}/record.pdf`;
      const res = await this.http.get<ArrayBuffer>(path, { responseType: 'arraybuffer' });
      if (res.status === 200) return Buffer.from(res.data);
      const error = JSON.parse(Buffer.from(res.data).toString('utf8') || '{}') as { code?: string; message?: string };
      throw new ApiCallError(res.status, error.code ?? 'error', error.message ?? `GET ${path} answered ${res.status}`);
    },
    placeHold: (
      material: string,
      lotId: string,
      req: { holdId: string; reason: string; by: string },
    ): Promise<{ holds: number; status: string }> =>
      this.call('POST', `/lots/${seg(material)}/${seg(lotId)}/holds`, req),
    liftHold: (
      material: string,
      lotId: string,
      req: { holdId: string; reason: string; by: string },
    ): Promise<{ holds: number; status: string }> =>
      this.call('POST', `/lots/${seg(material)}/${seg(lotId)}/holds/${seg(req.holdId)}/lift`, {
        reason: req.reason,
        by: req.by,
      }),
  };

  readonly ncrs = {
    open: (input: NcrOpenInput): Promise<{ ncrId: string; workflowId: string }> => this.call('POST', '/ncrs', input),
    status: (ncrId: string): Promise<NcrStatusReport> => this.call('GET', `/ncrs/${seg(ncrId)}`),
    list: (filter: { material?: string; status?: string; overdue?: boolean } = {}): Promise<NcrSummary[]> =>
      this.call('GET', `/ncrs${this.query(filter)}`),
    dispose: (ncrId: string, line: DispositionRequest, signer: ReauthProof): Promise<DispositionLine> =>
      this.call('POST', `/ncrs/${seg(ncrId)}/dispositions`, { ...line, signer }),
    coSign: (ncrId: string, lineId: string, reason: string, signer: ReauthProof): Promise<DispositionLine> =>
      this.call('POST', `/ncrs/${seg(ncrId)}/dispositions/${seg(lineId)}/cosign`, { reason, signer }),
    recordRootCause: (ncrId: string, req: NcrRootCauseRequest): Promise<RootCause> =>
      this.call('POST', `/ncrs/${seg(ncrId)}/root-cause`, req),
    close: (ncrId: string, reason: string, signer: ReauthProof): Promise<{ status: string }> =>
      this.call('POST', `/ncrs/${seg(ncrId)}/close`, { reason, signer }),
  };
}
