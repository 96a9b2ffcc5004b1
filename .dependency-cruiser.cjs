// The rooms of plantflow and the direction their imports may take (npm run lint runs this):
//   domain ← contracts ← runtime ← activities ← workflows (activity types only) ← client ← workers, scripts
// simulators stand beside: they use domain and contracts only. The plant edge is a process of its own on
// domain, contracts and runtime (no Temporal, no client); demo/ plays a plant day through the HTTP client.
// The CLI, `npm start` and the tests launch the edge and the demo. No import cycles, types included.
const below = (rooms) => `^(${rooms.join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'Files that import each other, even for types only, cannot be read or moved one at a time.',
      severity: 'error',
      // The Odoo simulator's ORM: model hooks and helpers are typed with the Env that calls them.
      from: { pathNot: '^simulators/odoo/orm/' },
      to: { circular: true },
    },
    {
      name: 'no-cycle-of-values',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ is the plant model: no Node built-ins, no other room, no Temporal.',
      severity: 'error',
      from: { path: '^domain/' },
      to: {
        pathNot: ['^domain/', '^node_modules/(zod|decimal\\.js|@noble/hashes)/'],
      },
    },
    {
      name: 'contracts-use-domain-only',
      severity: 'error',
      from: { path: '^contracts/' },
      to: {
        path: below([
          'runtime',
          'activities',
          'workflows',
          'client',
          'workers',
          'scripts',
          'simulators',
          'bench',
          'test',
        ]),
      },
    },
    {
      name: 'runtime-below-activities',
      severity: 'error',
      from: { path: '^runtime/' },
      to: { path: below(['activities', 'workflows', 'client', 'workers', 'scripts', 'simulators', 'bench', 'test']) },
    },
    {
      name: 'activities-below-workflows',
      comment: 'Adapters talk to systems; they know nothing of the workflows or of who calls them.',
      severity: 'error',
      from: { path: '^activities/' },
      to: { path: below(['workflows', 'client', 'workers', 'scripts', 'simulators', 'bench', 'test']) },
    },
    {
      name: 'workflows-use-domain-and-activity-types',
      comment: 'Workflow code runs in the sandbox: it reaches activities through proxies, by their types.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: below(['contracts', 'runtime', 'client', 'workers', 'scripts', 'simulators', 'bench', 'test']) },
    },
    {
      name: 'only-activity-types-above-activities',
      comment: 'Workflows and the client name activities by their types (proxies, the runs port), never run them.',
      severity: 'error',
      from: { path: '^(workflows|client)/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'client-above-workflows',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: below(['workers', 'scripts', 'simulators', 'bench', 'test']) },
    },
    {
      name: 'edge-runs-on-runtime',
      comment: 'The plant edge keeps working while the central site is away: it needs no Temporal and no client.',
      severity: 'error',
      from: { path: '^edge/' },
      to: {
        path: [
          below(['activities', 'workflows', 'client', 'workers', 'scripts', 'demo', 'simulators', 'bench', 'test']),
          '^node_modules/@temporalio/',
        ],
      },
    },
    {
      name: 'demo-plays-through-the-client',
      comment: 'The demo is a plant day seen from outside: the HTTP client, the ERP planners, the simulated plant.',
      severity: 'error',
      from: { path: '^demo/' },
      to: { path: below(['workflows', 'workers', 'scripts', 'edge', 'bench', 'test']) },
    },
    {
      name: 'the-edge-is-launched-not-imported',
      severity: 'error',
      from: { pathNot: '^(edge|client/cli|scripts|test)/' },
      to: { path: '^edge/' },
    },
    {
      name: 'the-demo-is-launched-not-imported',
      comment: "bench/ books its orders' ERP master data and supply with the demo's planner and warehouse.",
      severity: 'error',
      from: { pathNot: '^(demo|client/cli|bench|test)/' },
      to: { path: '^demo/' },
    },
    {
      name: 'simulators-use-domain-and-contracts',
      comment: 'A simulator stands in for a system: it must not lean on the code that calls it.',
      severity: 'error',
      from: { path: '^simulators/', pathNot: '^simulators/main\\.ts$' },
      to: { path: below(['runtime', 'activities', 'workflows', 'client', 'workers', 'scripts', 'bench', 'test']) },
    },
    {
      name: 'product-code-does-not-import-tests',
      comment: 'bench/ measures with the test fixtures; nothing that ships does.',
      severity: 'error',
      from: {
        path: below([
          'domain',
          'contracts',
          'runtime',
          'activities',
          'workflows',
          'client',
          'workers',
          'scripts',
          'simulators',
          'edge',
          'demo',
        ]),
      },
      to: { path: '^test/' },
    },
    {
      name: 'nothing-below-imports-client-or-workers',
      severity: 'error',
      from: { path: below(['domain', 'contracts', 'runtime', 'activities', 'workflows', 'simulators', 'edge']) },
      to: { path: below(['client', 'workers']) },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|\\.data|\\.toolchain)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
