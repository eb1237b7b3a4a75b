// Package root: the library. The core is pure; the event store and the verifier are Node-side
// (the JSONL store writes files), and the CLI, sidecar and k6 entry are separate entry points.
export * from './core/index.js';
export * from './formats/index.js';
export * from './store/index.js';
export * from './verify/index.js';
export * from './pool/index.js';
export * from './recorder/index.js';
export * from './schemaFiles/index.js';
