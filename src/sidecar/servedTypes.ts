import {
  DATA_TYPES, MockjutsuError, resolveDomain, serializerFor, sessionSerializerFor,
  type CompiledDomain, type DataType, type DomainInput, type EventSerializer, type Session, type SessionSerializer,
} from '../core/index.js';
import { BUILT_IN_DOMAINS, builtInDomain } from '../core/domains/index.js';
import { HttpError } from './httpError.js';
import { describeValue } from './safeText.js';

/** A type the sidecar serves by name: a core type, or a domain's sessions. */
export interface ServedType {
  readonly name: string;
  readonly type: DataType<unknown>;
  /** The domain whose sessions the type's items are (event_stream: the shop); undefined for other types. */
  readonly domain: CompiledDomain | undefined;
  /** JSON text of one event of the domain (its compiled serializer: `JSON.stringify(event)`). */
  readonly eventJson: EventSerializer | undefined;
  /** JSON text of one session of the domain (`JSON.stringify(session)`). */
  readonly sessionJson: SessionSerializer | undefined;
}

/** JSON text of an event of `domain`: the domain's compiled serializer (the same text as `JSON.stringify(event)`). */
export function eventSerializer(domain: CompiledDomain): EventSerializer {
  return serializerFor(domain);
}

function sessionType(domain: CompiledDomain): DataType<Session> {
  return {
    name: domain.name,
    description: `one session of the ${domain.name} domain${domain.description === undefined ? '' : ' (' + domain.description + ')'}, as an array of events`,
    item: (g, partition, index, position) => g.session(partition, index, position),
    positions: (session) => session.length,
  };
}

/**
 * The types a sidecar serves: the core's (event_stream is the shop's sessions, also served as
 * `shop`) and one per served domain, by the domain's name.
 */
export class ServedTypes {
  private readonly byName = new Map<string, ServedType>();
  /** The served domains, the shop first. */
  readonly domains: readonly CompiledDomain[];

  /**
   * @param domains built-in names, definitions or compiled domains to serve besides the shop.
   * @throws MockjutsuError (INVALID_OPTION, INVALID_DOMAIN) naming a bad or clashing domain.
   */
  constructor(domains: readonly DomainInput[] = []) {
    const shop = builtInDomain('shop');
    const list: CompiledDomain[] = [shop];
    for (const [i, input] of domains.entries()) {
      let d: CompiledDomain;
      try {
        d = resolveDomain(input);
      } catch (err) {
        if (err instanceof MockjutsuError) throw new MockjutsuError(err.code, `domains[${i}]: ${err.message}`, err.path);
        throw err;
      }
      if (list.includes(d)) continue; // the same domain twice (e.g. --domain shop) is served once
      const clash = list.find((x) => x.name === d.name);
      if (clash !== undefined || DATA_TYPES.has(d.name)) {
        const what = DATA_TYPES.has(d.name) ? `the type ${JSON.stringify(d.name)}` : `another served domain named ${JSON.stringify(d.name)}${Object.hasOwn(BUILT_IN_DOMAINS, d.name) ? ' (built-in)' : ''}`;
        throw new MockjutsuError('INVALID_OPTION', `domain ${describeValue(d.name)} clashes with ${what}; each served domain needs its own name (its "domain" key), not one of: ${[...DATA_TYPES.keys(), ...list.map((x) => x.name)].join(', ')}`, 'domain');
      }
      list.push(d);
    }
    this.domains = Object.freeze(list);
    for (const [name, type] of DATA_TYPES) {
      const domain = name === 'event_stream' ? shop : undefined;
      this.byName.set(name, { name, type, domain, eventJson: domain === undefined ? undefined : serializerFor(domain), sessionJson: domain === undefined ? undefined : sessionSerializerFor(domain) });
    }
    for (const d of list) this.byName.set(d.name, { name: d.name, type: sessionType(d), domain: d, eventJson: serializerFor(d), sessionJson: sessionSerializerFor(d) });
  }

  /** Every served type name: the core's, then the domains'. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Names of the served domains. */
  domainNames(): string[] {
    return this.domains.map((d) => d.name);
  }

  descriptions(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, t] of this.byName) out[name] = t.type.description;
    return out;
  }

  /** The served type `name`, or a 404 UNKNOWN_TYPE naming it and the known types and domains. */
  get(name: unknown): ServedType {
    const t = typeof name === 'string' ? this.byName.get(name) : undefined;
    if (t === undefined) {
      const notServed = typeof name === 'string' && Object.hasOwn(BUILT_IN_DOMAINS, name)
        ? `; ${name} is a built-in domain this sidecar does not serve (start it with mockjutsu serve --domain ${name})` : '';
      throw new HttpError(404, 'UNKNOWN_TYPE', `unknown type ${describeValue(String(name), 100)}; known types: ${[...DATA_TYPES.keys()].join(', ')}; ` +
        `served domains: ${this.domainNames().join(', ')}${notServed}`);
    }
    return t;
  }
}
