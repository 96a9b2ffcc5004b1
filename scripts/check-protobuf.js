// Fails when the Temporal packages resolve different copies of protobufjs: with @temporalio/* 1.24 on
// npm 11, @grpc/proto-loader's protobufjs 7 can be hoisted and leave Temporal with nested 8.x copies,
// which breaks Worker.runReplayHistory ("type must be a Type"). The fix is a direct protobufjs@8 dependency.
const path = require('node:path');
const packages = ['@temporalio/common', '@temporalio/proto', '@temporalio/worker', '@temporalio/client'];
const resolved = new Map();
for (const pkg of packages) {
  const base = path.dirname(require.resolve(`${pkg}/package.json`));
  const pb = require.resolve('protobufjs/package.json', { paths: [base] });
  resolved.set(pkg, `${path.dirname(pb)}@${require(pb).version}`);
}
const copies = new Set(resolved.values());
if (copies.size !== 1) {
  console.error('[check-protobuf] Temporal packages resolve several protobufjs copies:');
  for (const [pkg, copy] of resolved) console.error(`  ${pkg} -> ${copy}`);
  process.exit(1);
}
console.error(`[check-protobuf] one protobufjs for Temporal: ${[...copies][0]}`);
