// The one module that configures jsep. jsep is a process-wide singleton: its plugins and
// operator tables are global, so they are registered here, once, on first import, and every
// other module parses through `parseExpression`.
import jsep from 'jsep';
import jsepArrow from '@jsep-plugin/arrow';
import jsepObject from '@jsep-plugin/object';
import jsepAssignment from '@jsep-plugin/assignment';

jsep.plugins.register(jsepArrow, jsepObject, jsepAssignment);
// Operators the language does not have are left in jsep's tables on purpose: the compiler
// refuses them with a message that names the operator and lists the allowed ones, which is
// clearer than jsep's "Unexpected token". `this` parses to ThisExpression and is refused the
// same way. jsep has no regex, template, `new`, spread or function syntax to turn off.

/** A node of jsep's AST (core nodes plus those of the arrow, object and assignment plugins). */
export interface AstNode {
  type: string;
  [key: string]: unknown;
}

/** jsep's parse error: `index` is the 0-based offset, `description` the message without it. */
export interface JsepError extends Error {
  index: number;
  description: string;
}

export function isJsepError(e: unknown): e is JsepError {
  return e instanceof Error && typeof (e as Partial<JsepError>).index === 'number' && typeof (e as Partial<JsepError>).description === 'string';
}

/** jsep's AST of `source`; throws jsep's error (see {@link isJsepError}) on a syntax error. */
export function parseExpression(source: string): AstNode {
  return jsep(source) as unknown as AstNode;
}
