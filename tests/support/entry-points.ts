/**
 * Static check that an entry point is made with the one builder (server/entry/): every export of a
 * `"use server"` module, and every HTTP-method export of a `route.ts`, must be `export const X = <builder>({
 * …, capability: … })`. A raw `export async function`, a re-export or an inline `"use server"` is reported.
 * TypeScript already requires the declared capability inside a builder call; this holds everyone to the builder.
 */
import { readFileSync } from "node:fs";
import ts from "typescript";

export const ACTION_BUILDERS = ["orgAction", "orgSteps", "userAction", "opsAction", "publicAction"] as const;
export const ROUTE_BUILDERS = [
  "orgRoute",
  "opsRoute",
  "userRoute",
  "publicRoute",
  "tokenRoute",
  "personRoute",
  "apiRoute",
  "publicApiRoute",
] as const;
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

export type Export = { name: string; builder: string | null; capability: string | null; problem?: string };

const isExported = (node: ts.Node) =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** The `capability` property's text: written in the object, or in a spread local object (`...manage`). */
function capabilityOf(arg: ts.Expression | undefined, locals: Map<string, ts.Expression>): string | null {
  if (!arg) return null;
  let node: ts.Expression = arg;
  while (ts.isAsExpression(node) || ts.isParenthesizedExpression(node)) node = node.expression;
  if (ts.isIdentifier(node)) return capabilityOf(locals.get(node.text), locals);
  if (!ts.isObjectLiteralExpression(node)) return null;
  for (const p of node.properties) {
    if (ts.isPropertyAssignment(p) && p.name.getText() === "capability") return p.initializer.getText();
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === "capability") return p.name.text;
    if (ts.isSpreadAssignment(p)) {
      const inner = capabilityOf(p.expression, locals);
      if (inner) return inner;
    }
  }
  return null;
}

/** Every export of a module's source, with the builder that made it (null: not made by a builder). */
export function exportsOf(
  source: string,
  fileName = "module.ts",
): { exports: Export[]; inlineUseServer: number } {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const locals = new Map<string, ts.Expression>();
  const exports: Export[] = [];
  for (const st of file.statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name)) continue;
        if (d.initializer) locals.set(d.name.text, d.initializer);
        if (!isExported(st)) continue;
        const init = d.initializer;
        const call = init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) ? init : null;
        exports.push({
          name: d.name.text,
          builder: call ? (call.expression as ts.Identifier).text : null,
          capability: call ? capabilityOf(call.arguments[0], locals) : null,
        });
      }
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && isExported(st)) {
      exports.push({
        name: st.name?.text ?? "default",
        builder: null,
        capability: null,
        problem: "raw function",
      });
    } else if (ts.isExportDeclaration(st) || ts.isExportAssignment(st)) {
      exports.push({
        name: st.getText().slice(0, 60),
        builder: null,
        capability: null,
        problem: "re-export",
      });
    }
  }
  let inlineUseServer = 0;
  const visit = (node: ts.Node) => {
    if (ts.isBlock(node))
      for (const s of node.statements) {
        if (!ts.isExpressionStatement(s) || !ts.isStringLiteral(s.expression)) break;
        if (s.expression.text === "use server") inlineUseServer++;
      }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { exports, inlineUseServer };
}

export const isUseServerModule = (source: string) => /^\s*(\/\/[^\n]*\n\s*)*["']use server["']/.test(source);

/** What is wrong with the entry points of one file (empty: all made by the builder, each with a capability). */
export function entryProblems(
  path: string,
  kind: "actions" | "route",
  only?: string[],
  source = readFileSync(path, "utf8"),
): string[] {
  const { exports, inlineUseServer } = exportsOf(source, path);
  const builders: readonly string[] = kind === "actions" ? ACTION_BUILDERS : ROUTE_BUILDERS;
  const problems: string[] = [];
  if (inlineUseServer > 0) problems.push(`${path}: ${inlineUseServer} inline "use server" function(s)`);
  for (const e of exports) {
    if (kind === "route" && !HTTP_METHODS.includes(e.name) && !e.problem) continue;
    if (only && !only.includes(e.name) && !e.problem) continue;
    if (e.problem) problems.push(`${path}: ${e.name}: ${e.problem}`);
    else if (!e.builder || !builders.includes(e.builder))
      problems.push(`${path}: ${e.name} is not made by ${builders.join("/")}`);
    else if (!e.capability) problems.push(`${path}: ${e.name} declares no capability`);
  }
  if (only)
    for (const name of only)
      if (!exports.some((e) => e.name === name)) problems.push(`${path}: ${name} is not a plain export`);
  return problems;
}
