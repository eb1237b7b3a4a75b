// Package root: the library. The core is pure; the event store and the verifier are Node-side
// (the JSONL store writes files), and the CLI, sidecar and k6 entry are separate entry points.
export * from './core/index.js';
export * from './store/index.js';
export * from './verify/index.js';
// Schema mocking: the pure compiler (src/core/schema, k6-ready) and the Node file loader. Not yet
// re-exported by src/core/index.ts: the k6 bundle would then carry ret, which test/k6/bundle.spec.ts does not allow yet.
export * from './core/schema/index.js';
export * from './schemaFiles/index.js';
