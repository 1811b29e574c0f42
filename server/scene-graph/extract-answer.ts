import { strip } from "./text";

const OPEN = "<answer>";
const CLOSE = "</answer>";

/**
 * `extractAnswer` (method.md c.1): drops every code fence and every `json` substring, then returns the
 * text of the first `<answer>…</answer>` (or after an unclosed `<answer>`), else the whole text.
 * These quirks define the published protocol: `"jsonbox.1"` becomes `" box.1"`.
 */
export function extractAnswer(text: string): string {
  let t = text;
  if (t.includes("```")) t = t.replaceAll("```", " ");
  if (t.includes("json")) t = t.replaceAll("json", " ");
  t = strip(t);
  const open = t.indexOf(OPEN);
  if (open < 0) return t;
  const from = open + OPEN.length;
  const close = t.indexOf(CLOSE, from);
  return strip(close < 0 ? t.slice(from) : t.slice(from, close));
}
