// The plant health page (GET /dashboard): a static shell. Its script reads /dashboard/data with the API key
// the reader enters once per browser tab, draws the counts, the edges and three charts (Chart.js, served
// from this API), and reads again every REFRESH_SECONDS.
export const REFRESH_SECONDS = 15;

const STYLE = `
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f4f6f8; color: #1d2630; }
  header { background: #1d2630; color: #fff; padding: 12px 20px; display: flex; gap: 16px; align-items: baseline; }
  header h1 { font-size: 18px; margin: 0; }
  header small { opacity: .75; }
  main { padding: 16px 20px; display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); }
  .wide { grid-column: 1 / -1; }
  section { background: #fff; border-radius: 6px; padding: 12px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  section h2 { font-size: 14px; text-transform: uppercase; letter-spacing: .05em; color: #5a6773; margin: 0 0 8px; }
  .counts { display: flex; flex-wrap: wrap; gap: 8px; }
  a.count { display: block; width: 118px; padding: 6px 8px; font-size: 12px; border: 1px solid #d8dee4;
    border-radius: 4px; text-decoration: none; color: inherit; }
  a.count:hover { border-color: #3b82f6; }
  a.count .value { font-size: 20px; font-weight: 600; }
  a.count.alert .value { color: #c2410c; }
  .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; }
  .chart { position: relative; height: 200px; }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eef1f4; }
  .state-ok { color: #15803d; } .state-silent, .state-backlog_alarm { color: #c2410c; font-weight: 600; }
  #key-form { display: none; gap: 8px; align-items: center; }
  #error { color: #c2410c; }
  .empty { color: #5a6773; }
`;

const SCRIPT = `
(() => {
  const KEY = 'plantflow.apiKey';
  const charts = {};
  const $ = (id) => document.getElementById(id);
  const text = (tag, value, cls) => { const e = document.createElement(tag); e.textContent = value; if (cls) e.className = cls; return e; };

  function askKey(message) {
    $('key-form').style.display = 'flex';
    $('error').textContent = message || '';
  }
  $('key-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(KEY, $('key').value.trim());
    $('key-form').style.display = 'none';
    refresh();
  });

  function drawCounts(counts) {
    for (const group of ['orders', 'lots', 'ncrs', 'exceptions', 'drift']) {
      const box = $('counts-' + group);
      box.replaceChildren();
      const mine = counts.filter((c) => c.group === group);
      if (mine.length === 0) box.append(text('span', 'none', 'empty'));
      for (const c of mine) {
        const a = document.createElement('a');
        a.className = 'count' + (c.value > 0 && c.alert ? ' alert' : '');
        a.href = c.link; a.target = '_blank'; a.rel = 'noopener';
        a.dataset.countId = c.id; a.title = c.query;
        a.append(text('div', String(c.value), 'value'), text('div', c.label, 'label'));
        box.append(a);
      }
    }
  }

  function drawEdges(edges) {
    const body = $('edges-body');
    body.replaceChildren();
    if (edges.length === 0) body.append(text('tr', '')), body.lastChild.append(text('td', 'no plant edge has reported', 'empty'));
    for (const e of edges) {
      const tr = document.createElement('tr');
      tr.dataset.edge = e.site + '/' + e.edgeId;
      tr.append(text('td', e.site + ' / ' + e.edgeId), text('td', e.state, 'state-' + e.state),
        text('td', e.lastContactAt + ' (' + e.silentForSeconds + ' s ago)'), text('td', String(e.backlog.events)));
      body.append(tr);
    }
  }

  function chart(id, type, labels, datasets, yOptions) {
    if (charts[id]) {
      charts[id].data.labels = labels;
      charts[id].data.datasets.forEach((d, i) => (d.data = datasets[i].data));
      charts[id].update('none');
      return;
    }
    charts[id] = new Chart($(id), {
      type, data: { labels, datasets },
      options: { animation: false, maintainAspectRatio: false, spanGaps: true,
        scales: { x: { ticks: { maxTicksLimit: 8 } }, y: Object.assign({ beginAtZero: true }, yOptions || {}) },
        plugins: { legend: { position: 'bottom' } } },
    });
  }

  function drawCharts(s) {
    const labels = s.starts.map((t) => t.slice(11, 16));
    chart('chart-throughput', 'bar', labels, [
      { label: 'accepted', data: s.accepted, backgroundColor: '#3b82f6', stack: 'e' },
      { label: 'duplicate', data: s.duplicate, backgroundColor: '#94a3b8', stack: 'e' },
      { label: 'refused', data: s.refused, backgroundColor: '#f97316', stack: 'e' },
    ]);
    chart('chart-failure', 'line', labels, [
      { label: 'refused share', data: s.failureRate.map((v) => (v === null ? null : v * 100)), borderColor: '#f97316', pointRadius: 2 },
    ], { max: 100, title: { display: true, text: '%' } });
    chart('chart-latency', 'line', labels, [
      { label: 'mean', data: s.latencyMeanSeconds, borderColor: '#3b82f6', pointRadius: 2 },
      { label: 'max', data: s.latencyMaxSeconds, borderColor: '#a855f7', pointRadius: 2 },
    ], { title: { display: true, text: 'seconds' } });
  }

  async function refresh() {
    const key = sessionStorage.getItem(KEY);
    if (!key) return askKey();
    try {
      const response = await fetch('dashboard/data', { headers: { authorization: 'Bearer ' + key } });
      if (response.status === 401 || response.status === 403) return askKey('that key may not read the plant health');
      if (!response.ok) throw new Error((await response.json()).message || response.statusText);
      const data = await response.json();
      $('error').textContent = '';
      $('sites').textContent = 'sites ' + data.sites.join(', ');
      $('updated').textContent = 'counts at ' + data.health.at + ' · page read ' + new Date().toISOString();
      drawCounts(data.health.counts);
      drawEdges(data.health.edges);
      drawCharts(data.series);
      document.body.dataset.loaded = data.health.at;
    } catch (err) {
      $('error').textContent = 'could not read the plant health: ' + err.message;
    }
  }
  refresh();
  setInterval(refresh, ${REFRESH_SECONDS} * 1000);
})();
`;

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>plantflow · plant health</title>
<base href="/">
<style>${STYLE}</style>
<script src="dashboard/chart.umd.js"></script>
</head>
<body>
<header><h1>Plant health</h1><small id="sites"></small><small id="updated"></small></header>
<main>
  <form id="key-form" class="wide"><label for="key">API key (read role)</label><input id="key" type="password" size="40"><button>Show</button></form>
  <div id="error" class="wide"></div>
  <section><h2>Orders</h2><div class="counts" id="counts-orders"></div></section>
  <section><h2>Lots</h2><div class="counts" id="counts-lots"></div></section>
  <section><h2>Nonconformances</h2><div class="counts" id="counts-ncrs"></div></section>
  <section><h2>Business exceptions</h2><div class="counts" id="counts-exceptions"></div>
    <h2 style="margin-top:12px">Drift found by reconciliation</h2><div class="counts" id="counts-drift"></div></section>
  <section class="wide"><h2>Shop-floor events, last 24 h (5-minute buckets, this API process)</h2>
    <div class="charts">
      <div class="chart"><canvas id="chart-throughput"></canvas></div>
      <div class="chart"><canvas id="chart-failure"></canvas></div>
      <div class="chart"><canvas id="chart-latency"></canvas></div>
    </div>
  </section>
  <section class="wide"><h2>Plant edges</h2>
    <table><thead><tr><th>edge</th><th>state</th><th>last contact</th><th>backlog</th></tr></thead><tbody id="edges-body"></tbody></table>
  </section>
  <!-- The lot genealogy graph goes here: a section of its own, fed by its own data route. -->
  <section id="lot-genealogy" class="wide" hidden></section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
