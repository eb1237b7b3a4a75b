import { createSessionStream, compileDomain, compileDomainModule } from '../src/index.js';
import { ledgerDomain } from './fixtures/ledgerDomain.js';
const d = compileDomain(ledgerDomain);
console.log(createSessionStream({ seed: 1, partition: 0, domain: d }).take(6).map((e) => JSON.stringify(e)).join('\n'));
console.log(compileDomainModule(d, { target: 'k6' }).slice(0, 600));
