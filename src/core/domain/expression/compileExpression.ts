import { MockjutsuError } from '../../mockjutsuError.js';
import { didYouMean } from '../nearestName.js';
import { FAKE_LISTS } from './builtins.js';
import { BUILTIN_SIGNATURES, type BuiltinSignature } from './builtinSignatures.js';
import { isJsepError, parseExpression, type AstNode } from './parser.js';

/** An identifier an expression may use, and the JS it compiles to. */
export interface ScopeEntry {
  /** JS expression the identifier compiles to, e.g. `s.self` or `p`. */
  readonly js: string;
  /**
   * A record of declared variables (`self`, `session`): `name.m` is checked against these at
   * compile time and read directly; a declared member may be assigned in effects.
   */
  readonly members?: readonly string[];
  /** Effects may assign the identifier itself (`cart = ...`) and members of its data. */
  readonly assignable?: boolean;
}

export interface CompileExpressionOptions {
  /** JSON path of the expression in its file, for errors: `events.withdrawn.guard`. */
  readonly path: string;
  readonly scope: Readonly<Record<string, ScopeEntry>>;
  /**
   * Effects: the expression is one or more assignments (`a = 1, b = b + 1`), each at the top
   * level; nothing else is allowed. Otherwise assignments are refused.
   */
  readonly assignment?: boolean;
  /**
   * Where a list of literals given to a builtin that only reads it (`pick(['a', 'b'])`) is
   * hoisted to, so it is made once, not on every call: the list's JS is pushed here (once per
   * distinct text) and the call reads `$k<index>`. The caller defines those names.
   */
  readonly constants?: string[];
}

/** Builtins that only read a list argument and never hand it back (its elements may be returned). */
const READ_ONLY_LIST_BUILTINS: ReadonlySet<string> = new Set(['pick', 'pick_weighted', 'includes', 'len']);

/** The JS names the generated code relies on: `$b` = EXPRESSION_BUILTINS, `$x` = ExpressionContext. */
export const BUILTINS_NAME = '$b';
export const CONTEXT_NAME = '$x';

const ALLOWED_SUMMARY =
  'literals, names, a.b, a[i], builtin calls f(x), ! - +, + - * / %, == != < <= > >=, && ||, a ? b : c, [..], { key: value }, x => ... as a builtin argument';
const BINARY_OPS = new Set(['+', '-', '*', '/', '%', '<', '>', '<=', '>=', '==', '!=', '===', '!==', '&&', '||']);
const UNARY_OPS = new Set(['!', '-', '+']);
const ASSIGNMENT_OPS = new Set(['=', '+=', '-=', '*=']);
/** Words that read like JS but are no part of the language; refused with a specific message. */
const JS_KEYWORDS = new Set([
  'new', 'this', 'typeof', 'void', 'delete', 'in', 'instanceof', 'function', 'return', 'var', 'let', 'const', 'class',
  'import', 'export', 'eval', 'arguments', 'await', 'async', 'yield', 'super', 'with', 'if', 'else', 'for', 'while', 'do',
  'switch', 'case', 'throw', 'try', 'catch', 'finally', 'debugger', 'globalThis', 'window', 'process', 'require', 'Function',
]);
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Property names that an ordinary object, list or string inherits (`constructor`, `__proto__`,
 * `toString`, `valueOf`, `hasOwnProperty`, `map`, ...): reading `data.constructor` directly
 * would reach the prototype, so such names are read with an own-property check and written
 * with defineProperty. The engine's own names are added to a fixed list, so a name a newer
 * engine adds is covered too. `length` is read directly (own on lists and strings). Function
 * prototypes are not in the way: expressions never hold a function value (lambdas exist only as
 * builtin arguments).
 */
const INHERITED_NAMES: ReadonlySet<string> = (() => {
  const names = new Set<string>([
    '__proto__', 'constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf',
    'propertyIsEnumerable', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
    'apply', 'bind', 'call', 'caller', 'arguments',
  ]);
  for (const proto of [Object.prototype, Array.prototype, String.prototype, Number.prototype, Boolean.prototype]) {
    for (const n of Object.getOwnPropertyNames(proto)) names.add(n);
  }
  names.delete('length');
  return names;
})();

/** True for a member name that must be read and written as an own property. */
export function isInheritedName(name: string): boolean {
  return INHERITED_NAMES.has(name);
}

/** A JS string literal (JSON.stringify, plus the two line terminators ES2017 forbids in strings). */
function jsString(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function fail(path: string, message: string): never {
  throw new MockjutsuError('INVALID_DOMAIN', `${path}: ${message}`, path);
}

function nameList(names: Iterable<string>): string {
  const all = [...names].sort();
  return all.length === 0 ? '(none)' : all.join(', ');
}


/** Short rendering of a node for messages. */
function describeNode(n: AstNode): string {
  switch (n.type) {
    case 'Identifier': return `name "${n.name as string}"`;
    case 'Literal': return `literal ${String(n.raw)}`;
    case 'ThisExpression': return '"this"';
    case 'CallExpression': return 'call';
    case 'ArrowFunctionExpression': return 'lambda';
    case 'AssignmentExpression': return `assignment "${n.operator as string}"`;
    case 'UpdateExpression': return `"${n.operator as string}"`;
    default: return n.type;
  }
}

interface Local { js: string }

/** `[1, 'a', null]`: a list of literal numbers, strings, booleans or nulls (no data that could be changed). */
function isLiteralList(n: AstNode): boolean {
  if (n.type !== 'ArrayExpression') return false;
  for (const e of n.elements as Array<AstNode | null>) {
    if (e === null || e.type !== 'Literal') return false;
    const v = e.value;
    if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return false;
  }
  return true;
}

class Compiler {
  private nextLocal = 0;

  constructor(
    private readonly path: string,
    private readonly scope: Readonly<Record<string, ScopeEntry>>,
    private readonly constants?: string[],
  ) {}

  fail(message: string): never {
    return fail(this.path, message);
  }

  /** A top-level effect: one assignment. */
  statement(n: AstNode, locals: ReadonlyMap<string, Local>): string {
    // A conditional effect: `test ? (a = 1) : (b = 2)`; either branch may be `null` (nothing).
    if (n.type === 'ConditionalExpression') {
      const branch = (b: AstNode): string => (b.type === 'Literal' && b.value === null ? 'undefined' : this.statement(b, locals));
      return `(${this.node(n.test as AstNode, locals)} ? ${branch(n.consequent as AstNode)} : ${branch(n.alternate as AstNode)})`;
    }
    if (n.type === 'SequenceExpression' || n.type === 'Compound') {
      const body = (n.type === 'Compound' ? n.body : n.expressions) as AstNode[];
      return `(${body.map((s) => this.statement(s, locals)).join(', ')})`;
    }
    if (n.type !== 'AssignmentExpression') {
      this.node(n, locals); // a refused construct inside is reported as such first
      this.fail(`an effect must be assignments (target = value, separated by commas), got ${describeNode(n)}; allowed: name = value, self.member = value, data.field = value, with = += -= *=`);
    }
    return this.assignment(n, locals);
  }

  assignment(n: AstNode, locals: ReadonlyMap<string, Local>): string {
    const op = n.operator as string;
    if (!ASSIGNMENT_OPS.has(op)) this.fail(`assignment operator "${op}" is not allowed; allowed: = += -= *=`);
    const left = n.left as AstNode;
    const value = this.node(n.right as AstNode, locals);
    if (left.type === 'Identifier') {
      const name = left.name as string;
      if (locals.has(name)) this.fail(`cannot assign to the lambda parameter "${name}"`);
      const entry = this.entry(name);
      if (entry.assignable !== true) this.fail(`"${name}" cannot be assigned; assignable: ${nameList(this.assignableNames())}`);
      return `${entry.js} ${op} (${value})`;
    }
    if (left.type !== 'MemberExpression') this.fail(`cannot assign to ${describeNode(left)}; allowed targets: an assignable name, a declared member (self.x) or a field of assignable data`);
    const record = this.recordMember(left, locals);
    if (record !== undefined) return this.write(record.object, record.member, op, value);
    const root = this.rootOf(left);
    if (root.type !== 'Identifier' || locals.has(root.name as string) || this.scope[root.name as string]?.assignable !== true) {
      this.fail(`cannot assign to a field of ${root.type === 'Identifier' ? `"${root.name as string}"` : 'a computed value'}; only fields of assignable names can be set (${nameList(this.assignableNames())})`);
    }
    const object = this.node(left.object as AstNode, locals);
    if (left.computed === true) {
      return `${BUILTINS_NAME}.update(${object}, ${this.node(left.property as AstNode, locals)}, ${jsString(op.slice(0, 1))}, ${value})`;
    }
    const prop = (left.property as AstNode).name as string;
    if (prop === 'length') this.fail('cannot assign to .length; use append, remove_at or set_at');
    return this.write(object, prop, op, value);
  }

  /** `object.name op= value`, through defineProperty when `name` is inherited by plain objects. */
  private write(object: string, name: string, op: string, value: string): string {
    if (isInheritedName(name) || !IDENTIFIER.test(name)) {
      return `${BUILTINS_NAME}.update(${object}, ${jsString(name)}, ${jsString(op.slice(0, 1))}, ${value})`;
    }
    return `${object}.${name} ${op} (${value})`;
  }

  /** `object.name`, through an own-property read when `name` is inherited by plain objects. */
  private read(object: string, name: string): string {
    if (isInheritedName(name) || !IDENTIFIER.test(name)) return `${BUILTINS_NAME}.own(${object}, ${jsString(name)})`;
    return `${object}.${name}`;
  }

  private assignableNames(): string[] {
    const out: string[] = [];
    for (const k of Object.keys(this.scope)) {
      const e = this.scope[k]!;
      if (e.assignable === true) out.push(k);
      if (e.members !== undefined) for (const m of e.members) out.push(k + '.' + m);
    }
    return out;
  }

  private rootOf(n: AstNode): AstNode {
    let cur = n;
    while (cur.type === 'MemberExpression') cur = cur.object as AstNode;
    return cur;
  }

  private entry(name: string): ScopeEntry {
    const e = Object.prototype.hasOwnProperty.call(this.scope, name) ? this.scope[name] : undefined;
    if (e !== undefined) return e;
    if (name === 'this') this.fail('"this" is not allowed; name the value instead (' + nameList(Object.keys(this.scope)) + ')');
    if (JS_KEYWORDS.has(name)) this.fail(`"${name}" is not part of the expression language; allowed: ${ALLOWED_SUMMARY}`);
    if (Object.prototype.hasOwnProperty.call(BUILTIN_SIGNATURES, name)) this.fail(`builtin "${name}" can only be called: ${BUILTIN_SIGNATURES[name]!.usage}`);
    this.fail(`unknown name "${name}"${didYouMean(name, Object.keys(this.scope))}; known names: ${nameList(Object.keys(this.scope))}`);
  }

  /**
   * `self.balance` on a declared record, checked against `members`: the record's JS and the
   * member; undefined when `n` is not a member of a record.
   */
  private recordMember(n: AstNode, locals: ReadonlyMap<string, Local>): { object: string; member: string } | undefined {
    const object = n.object as AstNode;
    if (object.type !== 'Identifier' || locals.has(object.name as string)) return undefined;
    const name = object.name as string;
    const entry = Object.prototype.hasOwnProperty.call(this.scope, name) ? this.scope[name] : undefined;
    if (entry === undefined || entry.members === undefined) return undefined;
    if (n.computed === true) this.fail(`"${name}" is a record of declared members: use ${name}.member, not ${name}[...]; members: ${nameList(entry.members)}`);
    const member = (n.property as AstNode).name as string;
    if (!entry.members.includes(member)) this.fail(`unknown member "${name}.${member}"${didYouMean(member, entry.members)}; members of ${name}: ${nameList(entry.members)}`);
    return { object: entry.js, member };
  }

  node(n: AstNode, locals: ReadonlyMap<string, Local>): string {
    switch (n.type) {
      case 'Literal': {
        const v = n.value;
        if (typeof v === 'string') return jsString(v);
        if (typeof v === 'number') return v === Infinity ? '(1/0)' : String(v);
        if (typeof v === 'boolean' || v === null) return String(v);
        return this.fail(`literal ${String(n.raw)} is not allowed; literals are numbers, 'strings', true, false, null, undefined`);
      }
      case 'Identifier': {
        const name = n.name as string;
        const local = locals.get(name);
        if (local !== undefined) return local.js;
        if (name === 'undefined') return '(void 0)';
        if (name === 'true' || name === 'false' || name === 'null') return name;
        return this.entry(name).js;
      }
      case 'MemberExpression': {
        if (n.optional === true) this.fail(`"?." is not allowed (the generated code runs on ES2017 engines); use a ? a.b : undefined`);
        const record = this.recordMember(n, locals);
        if (record !== undefined) return this.read(record.object, record.member);
        const object = this.node(n.object as AstNode, locals);
        if (n.computed === true) return `${BUILTINS_NAME}.at(${object}, ${this.node(n.property as AstNode, locals)})`;
        return this.read(object, (n.property as AstNode).name as string);
      }
      case 'CallExpression':
        return this.call(n, locals);
      case 'UnaryExpression': {
        const op = n.operator as string;
        if (!UNARY_OPS.has(op)) this.fail(`operator "${op}" is not allowed; allowed unary operators: ! - +`);
        return `(${op}(${this.node(n.argument as AstNode, locals)}))`;
      }
      case 'BinaryExpression':
      case 'LogicalExpression': {
        const op = n.operator as string;
        if (!BINARY_OPS.has(op)) this.fail(`operator "${op}" is not allowed; allowed: + - * / % == != < <= > >= && ||`);
        const js = op === '==' ? '===' : op === '!=' ? '!==' : op;
        return `(${this.node(n.left as AstNode, locals)} ${js} ${this.node(n.right as AstNode, locals)})`;
      }
      case 'ConditionalExpression':
        return `(${this.node(n.test as AstNode, locals)} ? ${this.node(n.consequent as AstNode, locals)} : ${this.node(n.alternate as AstNode, locals)})`;
      case 'ArrayExpression': {
        const parts: string[] = [];
        for (const e of n.elements as Array<AstNode | null>) {
          if (e === null) this.fail('a list may not have holes ([1, , 2]); write null or undefined');
          parts.push(this.node(e, locals));
        }
        return `[${parts.join(', ')}]`;
      }
      case 'ObjectExpression':
        return this.object(n, locals);
      case 'ArrowFunctionExpression':
        return this.fail('a lambda (x => ...) is only allowed as the function argument of a builtin: count, sum, map, filter, find, some, every, index_of');
      case 'AssignmentExpression':
        return this.fail(`assignment "${n.operator as string}" is only allowed in effects, as a top-level target = value; use == to compare`);
      case 'UpdateExpression':
        return this.fail(`"${n.operator as string}" is not allowed; write x = x + 1 in an effect`);
      case 'ThisExpression':
        return this.fail('"this" is not allowed; name the value instead (' + nameList(Object.keys(this.scope)) + ')');
      case 'Compound':
      case 'SequenceExpression': {
        const body = (n.body ?? n.expressions) as AstNode[];
        for (const b of body) this.node(b, locals);
        return this.fail(`one expression expected, got ${body.length} (${body.map(describeNode).join(', ')}); only effects may list several assignments`);
      }
      default:
        return this.fail(`${describeNode(n)} is not allowed; allowed: ${ALLOWED_SUMMARY}`);
    }
  }

  private object(n: AstNode, locals: ReadonlyMap<string, Local>): string {
    const parts: string[] = [];
    const seen = new Set<string>();
    for (const p of n.properties as AstNode[]) {
      if (p.type !== 'Property') this.fail(`an object literal holds key: value entries, got ${describeNode(p)} (a lambda body is an expression, not a block)`);
      const k = p.key as AstNode;
      let key: string;
      if (p.computed === true) this.fail('computed keys ({ [k]: v }) are not allowed; keys are names or \'strings\'');
      if (k.type === 'Identifier') key = k.name as string;
      else if (k.type === 'Literal' && (typeof k.value === 'string' || typeof k.value === 'number')) key = String(k.value);
      else this.fail(`an object key must be a name or a 'string', got ${describeNode(k)}`);
      if (seen.has(key)) this.fail(`key "${key}" appears twice in an object literal`);
      seen.add(key);
      const value = this.node(p.value as AstNode, locals);
      const jsKey = isInheritedName(key) ? `[${jsString(key)}]` : IDENTIFIER.test(key) ? key : jsString(key);
      parts.push(`${jsKey}: ${value}`);
    }
    return `({${parts.join(', ')}})`;
  }

  private call(n: AstNode, locals: ReadonlyMap<string, Local>): string {
    const callee = n.callee as AstNode;
    if (callee.type !== 'Identifier') {
      this.fail(`only builtins can be called (no methods on values: write len(list), not list.length(); append(cart, x), not cart.push(x)); builtins: ${nameList(Object.keys(BUILTIN_SIGNATURES))}`);
    }
    const name = callee.name as string;
    const sig: BuiltinSignature | undefined = Object.prototype.hasOwnProperty.call(BUILTIN_SIGNATURES, name) ? BUILTIN_SIGNATURES[name] : undefined;
    if (sig === undefined) {
      if (JS_KEYWORDS.has(name) && !Object.prototype.hasOwnProperty.call(this.scope, name)) this.fail(`"${name}" is not part of the expression language; builtins: ${nameList(Object.keys(BUILTIN_SIGNATURES))}`);
      if (locals.has(name) || Object.prototype.hasOwnProperty.call(this.scope, name)) this.fail(`"${name}" is not a builtin and cannot be called; builtins: ${nameList(Object.keys(BUILTIN_SIGNATURES))}`);
      this.fail(`unknown builtin "${name}"${didYouMean(name, Object.keys(BUILTIN_SIGNATURES))}; builtins: ${nameList(Object.keys(BUILTIN_SIGNATURES))}`);
    }
    const args = n.arguments as AstNode[];
    if (args.length < sig.min || args.length > sig.max) {
      const expected = sig.min === sig.max ? `${sig.min}` : sig.max === Infinity ? `at least ${sig.min}` : `${sig.min} to ${sig.max}`;
      this.fail(`${name} takes ${expected} argument${sig.max === 1 && sig.min === 1 ? '' : 's'}, got ${args.length}: ${sig.usage}`);
    }
    // The draws a program makes most often, inlined (the same single draw the builtin makes):
    // random(), and chance(p) with p a number literal (the builtin's check holds at compile time).
    if (this.constants !== undefined) {
      if (name === 'random') return `${CONTEXT_NAME}.r()`;
      const p = args[0];
      if (name === 'chance' && p !== undefined && p.type === 'Literal' && typeof p.value === 'number' && p.value === p.value) {
        return `(${CONTEXT_NAME}.r() < ${this.node(p, locals)})`;
      }
    }
    const out: string[] = [CONTEXT_NAME];
    args.forEach((a, i) => {
      if (i === sig.lambda) out.push(this.lambda(name, sig, a, locals));
      else if (i === sig.fakeList) {
        if (a.type !== 'Literal' || typeof a.value !== 'string') this.fail(`${name} takes a list name in quotes: ${sig.usage}; lists: ${nameList(Object.keys(FAKE_LISTS))}`);
        const list = a.value as string;
        if (!Object.prototype.hasOwnProperty.call(FAKE_LISTS, list)) this.fail(`unknown fake list "${list}"${didYouMean(list, Object.keys(FAKE_LISTS))}; lists: ${nameList(Object.keys(FAKE_LISTS))}`);
        out.push(jsString(list));
      } else {
        const js = this.node(a, locals);
        out.push(this.constants !== undefined && READ_ONLY_LIST_BUILTINS.has(name) && isLiteralList(a) ? this.constant(js) : js);
      }
    });
    return `${BUILTINS_NAME}.${name}(${out.join(', ')})`;
  }

  /** The name of a hoisted constant with this JS (see {@link CompileExpressionOptions.constants}). */
  private constant(js: string): string {
    const list = this.constants!;
    let i = list.indexOf(js);
    if (i === -1) i = list.push(js) - 1;
    return `$k${i}`;
  }

  private lambda(builtin: string, sig: BuiltinSignature, n: AstNode, locals: ReadonlyMap<string, Local>): string {
    // `l => l.x = 1` parses as `(l => l.x) = 1`: report the assignment, not a missing lambda.
    if (n.type === 'AssignmentExpression') this.node(n, locals);
    if (n.type !== 'ArrowFunctionExpression') this.fail(`argument ${(sig.lambda ?? 0) + 1} of ${builtin} must be a lambda (x => ...): ${sig.usage}`);
    if (n.async === true) this.fail('async lambdas are not allowed');
    const params = (n.params ?? []) as AstNode[];
    if (params.length < 1 || params.length > 2) this.fail(`a lambda of ${builtin} takes (item) or (item, index), got ${params.length} parameters: ${sig.usage}`);
    const inner = new Map(locals);
    const js: string[] = [];
    for (const p of params) {
      if (p.type !== 'Identifier') this.fail(`a lambda parameter must be a name, got ${describeNode(p)}`);
      const name = p.name as string;
      if (JS_KEYWORDS.has(name) || name === 'undefined' || name === 'true' || name === 'false' || name === 'null') this.fail(`"${name}" cannot be a lambda parameter`);
      if (Object.prototype.hasOwnProperty.call(BUILTIN_SIGNATURES, name)) this.fail(`lambda parameter "${name}" would hide the builtin ${name}(); pick another name`);
      const local = { js: `$l${this.nextLocal++}_${name.replace(/[^A-Za-z0-9_]/g, '_')}` };
      inner.set(name, local);
      js.push(local.js);
    }
    const body = this.node(n.body as AstNode, inner);
    return `((${js.join(', ')}) => (${body}))`;
  }
}

/**
 * Compiles one expression of a domain file to a JS expression (ES2017) over `$b`
 * ({@link EXPRESSION_BUILTINS}), `$x` (an ExpressionContext) and the scope entries' `js`.
 * Only a whitelist of constructs is accepted; anything else throws a MockjutsuError
 * `INVALID_DOMAIN` naming `path`, the construct and what is allowed.
 */
export function compileExpression(source: string, options: CompileExpressionOptions): string {
  const { path, scope } = options;
  if (typeof source !== 'string' || source.trim() === '') fail(path, 'expected an expression, got an empty one');
  let ast: AstNode;
  try {
    ast = parseExpression(source);
  } catch (e) {
    if (isJsepError(e)) fail(path, `syntax error at column ${e.index + 1}: ${e.description}\n  ${source}\n  ${' '.repeat(e.index)}^`);
    throw e;
  }
  const compiler = new Compiler(path, scope, options.constants);
  const locals: ReadonlyMap<string, Local> = new Map();
  if (options.assignment !== true) return compiler.node(ast, locals);
  const body = ast.type === 'Compound' ? (ast.body as AstNode[]) : ast.type === 'SequenceExpression' ? (ast.expressions as AstNode[]) : [ast];
  const parts = body.map((s) => compiler.statement(s, locals));
  return `(${parts.join(', ')})`;
}
