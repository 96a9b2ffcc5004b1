import axios, { type AxiosInstance } from 'axios';
import type { FaultPlanInput } from './faults';
import type { JournalEntry } from './journal';

/** Test-side handle on a running simulator's /__sim admin routes. */
export class SimulatorAdmin {
  private readonly http: AxiosInstance;

  constructor(readonly url: string) {
    this.http = axios.create({ baseURL: url, timeout: 10_000 });
  }

  async setFaults(plan: FaultPlanInput): Promise<void> {
    await this.http.put('/__sim/faults', plan);
  }

  async clearFaults(): Promise<void> {
    await this.http.put('/__sim/faults', {});
  }

  async reset(): Promise<void> {
    await this.http.post('/__sim/reset', {});
  }

  async writes(filter: { operation?: string; applied?: boolean; after?: number } = {}): Promise<JournalEntry[]> {
    const { data } = await this.http.get<JournalEntry[]>('/__sim/writes', { params: filter });
    return data;
  }

  async state<T = unknown>(): Promise<T> {
    const { data } = await this.http.get<T>('/__sim/state');
    return data;
  }

  async healthy(): Promise<boolean> {
    try {
      const { status } = await this.http.get('/__sim/health', { timeout: 2_000 });
      return status === 200;
    } catch {
      return false;
    }
  }
}
