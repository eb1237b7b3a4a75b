// Package root: the library. Node-only adapters (CLI, sidecar, event store) live beside it.
export * from './core/index.js';
