// The expression language of domain files: guards, bindings and effects. See
// docs/design/domains.md, section "Expressions".
export { compileExpression, isInheritedName, BUILTINS_NAME, CONTEXT_NAME, type CompileExpressionOptions, type ScopeEntry } from './compileExpression.js';
export { EXPRESSION_BUILTINS, BUILTIN_SIGNATURES, FAKE_LISTS, type ExpressionContext, type ExpressionBuiltins, type BuiltinSignature } from './builtins.js';
