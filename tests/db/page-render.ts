import { isValidElement, type ReactNode } from "react";

/**
 * Runs a server-rendered tree as far as the server goes: every async (server) component in it is called and
 * its output walked in turn, including children, element-valued props (slots) and Suspense boundaries.
 * Client components are not rendered (they render in the browser, from props the server already computed).
 * Enough to see which database reads a page's render makes, without a Next server. Returns the text the
 * server rendered itself (strings and numbers among children), in order.
 */
export async function renderServer(node: unknown, text: string[] = []): Promise<string[]> {
  if (node instanceof Promise) return renderServer(await node, text);
  if (Array.isArray(node)) {
    for (const child of node) await renderServer(child, text);
    return text;
  }
  if (typeof node === "string" || typeof node === "number") {
    text.push(String(node));
    return text;
  }
  if (!isValidElement(node)) return text;
  const props = (node.props ?? {}) as Record<string, unknown>;
  const type = node.type as unknown;
  if (typeof type === "function" && type.constructor.name === "AsyncFunction")
    return renderServer(await (type as (p: unknown) => Promise<ReactNode>)(props), text);
  if (typeof type === "function" && !type.prototype?.isReactComponent) {
    // A plain server component renders here; a client one (hooks need React's renderer) throws, and only
    // the props the server gave it are walked.
    let output: ReactNode;
    try {
      output = (type as (p: unknown) => ReactNode)(props);
    } catch {
      output = undefined;
    }
    if (output !== undefined) return renderServer(output, text);
  }
  for (const [key, value] of Object.entries(props))
    if (key === "children" || isValidElement(value) || Array.isArray(value)) await renderServer(value, text);
  return text;
}
