// Node side of schema mocking: reads files (JSON or YAML) and resolves $refs across files.
export { parseSchemaText, loadSchemaFile, compileSchemaFile, createEventMockerFromFile } from './loadSchemaFile.js';
export { loadDomainFile, readDomainFile, parseDomainText, MAX_DOMAIN_FILE_BYTES } from './loadDomainFile.js';
