import ts from 'typescript';

/** One module reference in a source file, as TypeScript's own parser sees it. */
export interface ImportEdge {
  /** 1-based line of the reference. */
  line: number;
  /** The specifier as written, e.g. `../api/errors.ts` or `maplibre-gl/dist/x.mjs?url`. */
  specifier: string;
  /**
   * True when nothing of the module exists at run time: `import type`, `export type … from` and
   * `typeof import('…')`. `import { type A } from` is not: under verbatimModuleSyntax it stays an
   * `import {} from`, which still loads the module.
   */
  typeOnly: boolean;
}

function scriptKindOf(fileName: string): ts.ScriptKind {
  if (fileName.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (fileName.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function literalText(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

/**
 * Every static import, re-export, `import x = require()`, dynamic `import()`, `require()` and
 * import type in `text`. A dynamic import whose specifier is not a literal is reported with the
 * expression's source text, so a fence can refuse what it cannot read.
 */
export function importsOf(fileName: string, text: string): ImportEdge[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKindOf(fileName));
  const edges: ImportEdge[] = [];
  const add = (at: ts.Node, specifier: string, typeOnly: boolean) => {
    const line = source.getLineAndCharacterOfPosition(at.getStart(source)).line + 1;
    edges.push({ line, specifier, typeOnly });
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const specifier = literalText(node.moduleSpecifier);
      const typeOnly = node.importClause?.phaseModifier === ts.SyntaxKind.TypeKeyword;
      if (specifier !== undefined) add(node, specifier, typeOnly);
      return;
    }
    if (ts.isExportDeclaration(node)) {
      const specifier = literalText(node.moduleSpecifier);
      if (specifier !== undefined) add(node, specifier, node.isTypeOnly);
      return;
    }
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const specifier = literalText(node.moduleReference.expression);
      if (specifier !== undefined) add(node, specifier, node.isTypeOnly);
      return;
    }
    if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument)) {
        const specifier = literalText(argument.literal);
        if (specifier !== undefined) add(node, specifier, true);
      }
    }
    if (ts.isCallExpression(node)) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isDynamicImport || isRequire) {
        const [argument] = node.arguments;
        if (argument) add(node, literalText(argument) ?? argument.getText(source), false);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}
