import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { createSapSimulator, type SapSimulator } from '../../../../simulators/sap';
import { SimulatorAdmin } from '../../../../simulators/shared/admin-client';

/** A bare HTTP session against the SAP simulator: basic auth, cookies and CSRF token handled by hand. */
export class RawSapSession {
  readonly http: AxiosInstance;
  token: string | undefined;
  cookie: string | undefined;

  constructor(
    readonly url: string,
    auth = { username: 'plantflow', password: 'plantflow' },
  ) {
    this.http = axios.create({ baseURL: `${url}/sap/opu/odata/sap`, auth, validateStatus: () => true });
  }

  async fetchToken(service = 'API_PRODUCTION_ORDER_2_SRV'): Promise<AxiosResponse> {
    const res = await this.http.get(`/${service}/`, {
      headers: { 'X-CSRF-Token': 'Fetch', ...(this.cookie ? { Cookie: this.cookie } : {}) },
    });
    this.token = res.headers['x-csrf-token'] as string;
    const set = res.headers['set-cookie'];
    if (set) this.cookie = set.map((c) => c.split(';')[0]).join('; ');
    return res;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(this.token ? { 'X-CSRF-Token': this.token } : {}),
      ...(this.cookie ? { Cookie: this.cookie } : {}),
      ...extra,
    };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<AxiosResponse> {
    return this.http.get(path, { headers: this.headers(headers) });
  }

  post(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<AxiosResponse> {
    return this.http.post(path, body, { headers: this.headers(headers) });
  }

  patch(path: string, body: unknown, headers: Record<string, string> = {}): Promise<AxiosResponse> {
    return this.http.patch(path, body, { headers: this.headers(headers) });
  }
}

export const PO = '/API_PRODUCTION_ORDER_2_SRV';
export const CONF = '/API_PROD_ORDER_CONFIRMATION_2_SRV';
export const MD = '/API_MATERIAL_DOCUMENT_SRV';
export const BATCH = '/API_BATCH_SRV';
export const IL = '/API_INSPECTIONLOT_SRV';

/** One simulator per describe block, reset before each test, with a fresh session holding a CSRF token. */
export function useSapWire(): { sim: SapSimulator; url: string; admin: SimulatorAdmin; s: RawSapSession } {
  const wire = {} as { sim: SapSimulator; url: string; admin: SimulatorAdmin; s: RawSapSession };
  before(async () => {
    wire.sim = createSapSimulator();
    wire.url = await wire.sim.server.start(0);
    wire.admin = new SimulatorAdmin(wire.url);
  });
  beforeEach(async () => {
    await wire.admin.reset();
    wire.s = new RawSapSession(wire.url);
    await wire.s.fetchToken();
  });
  after(() => wire.sim.stop());
  return wire;
}
