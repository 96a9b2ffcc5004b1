import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { createWorkerMetrics, serveMetrics } from '../../../runtime/business-metrics';

describe("The workers' business metrics endpoint", () => {
  it('serves GET /metrics in the Prometheus text format, and nothing else', async () => {
    const metrics = createWorkerMetrics();
    metrics.postings.inc({ system: 'sap', activity: 'sapPostConfirmation', outcome: 'posted' });
    metrics.up.set({ system: 'sap' }, 1);
    const server = await serveMetrics(metrics.registry, '127.0.0.1:0');
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const scraped = await axios.get<string>(`${base}/metrics`, { responseType: 'text' });
      assert.match(String(scraped.headers['content-type']), /^text\/plain/);
      assert.match(
        scraped.data,
        /^plantflow_postings_total\{system="sap",activity="sapPostConfirmation",outcome="posted"\} 1$/m,
      );
      assert.match(scraped.data, /^plantflow_downstream_up\{system="sap"\} 1$/m);
      const other = await axios.get(`${base}/`, { validateStatus: () => true });
      assert.equal(other.status, 404);
    } finally {
      server.close();
    }
  });

  it('refuses to start on an address already taken, with the error of the bind', async () => {
    const metrics = createWorkerMetrics();
    const first = await serveMetrics(metrics.registry, '127.0.0.1:0');
    try {
      const port = (first.address() as AddressInfo).port;
      await assert.rejects(serveMetrics(metrics.registry, `127.0.0.1:${port}`), /EADDRINUSE/);
    } finally {
      first.close();
    }
  });
});
