// The expression language of domain files: guards, bindings and effects. See
// docs/design/domains.md, section "Expressions".
export { compileExpression, isInheritedName, BUILTINS_NAME, CONTEXT_NAME, type CompileExpressionOptions, type ScopeEntry } from './compileExpression.js';
export { EXPRESSION_BUILTINS, FAKE_LISTS, type ExpressionContext, type ExpressionBuiltins } from './builtins.js';
export { BUILTIN_SIGNATURES, DRAWING_BUILTINS, type BuiltinSignature } from './builtinSignatures.js';
