import axios, { type AxiosInstance, type AxiosResponse } from 'axios';

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
