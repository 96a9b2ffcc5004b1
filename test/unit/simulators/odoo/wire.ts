import axios, { type AxiosResponse } from 'axios';
import { createOdooSimulator, type OdooSimulator, type OdooVersion } from '../../../../simulators/odoo';

/** Raw wire access to a running Odoo simulator, for protocol conformance tests. */
export interface Wire {
  sim: OdooSimulator;
  url: string;
  jsonrpc(service: string, method: string, args: unknown[]): Promise<AxiosResponse>;
  /** object.execute_kw with the simulator's API key as password. */
  executeKw(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>): Promise<AxiosResponse>;
  json2(model: string, method: string, body: Record<string, unknown>, key?: string): Promise<AxiosResponse>;
}

export function useWire(version: OdooVersion): () => Wire {
  let wire: Wire | undefined;
  before(async () => {
    const sim = createOdooSimulator({ version });
    const url = await sim.server.start(0);
    const http = axios.create({ baseURL: url, validateStatus: () => true, timeout: 5000 });
    let id = 0;
    const jsonrpc = (service: string, method: string, args: unknown[]) =>
      http.post('/jsonrpc', { jsonrpc: '2.0', method: 'call', id: ++id, params: { service, method, args } });
    wire = {
      sim,
      url,
      jsonrpc,
      executeKw: (model, method, args, kwargs) =>
        jsonrpc('object', 'execute_kw', ['demo', 2, sim.apiKey, model, method, args, ...(kwargs ? [kwargs] : [])]),
      json2: (model, method, body, key = sim.apiKey) =>
        http.post(`/json/2/${model}/${method}`, body, {
          headers: { Authorization: `bearer ${key}`, 'X-Odoo-Database': 'demo' },
        }),
    };
  });
  beforeEach(() => wire!.sim.server.reset());
  after(async () => wire?.sim.server.stop());
  return () => wire!;
}
