/**
 * String rules of the reference (Python) that differ from JavaScript built-ins (method.md 0.1–0.3).
 */

// Python's str.isspace set; JS `\s` omits U+001C–U+001F and U+0085 and adds U+FEFF.
const WS_CODES = new Set<number>([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
  0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

/** True when the UTF-16 code unit is in the reference's whitespace set `WS`. */
export function isWs(code: number): boolean {
  return code === 0x20 || (code < 0x21 ? code >= 0x09 && (code <= 0x0d || code >= 0x1c) : WS_CODES.has(code));
}

/** Python `str.strip()`: removes leading and trailing `WS` characters. */
export function strip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isWs(s.charCodeAt(start))) start++;
  while (end > start && isWs(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Python `str.split()` without arguments: runs of `WS` separate words, empty pieces dropped. */
export function words(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    if (isWs(s.charCodeAt(i))) {
      if (start >= 0) out.push(s.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(s.slice(start));
  return out;
}

/** True when `norm(s)` would return `s` itself: plain lower-case ASCII without `_`, `-` or edge spaces. */
function isNormal(s: string): boolean {
  const n = s.length;
  if (n === 0) return true;
  if (s.charCodeAt(0) <= 0x20 || s.charCodeAt(n - 1) <= 0x20) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x7f || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x2d || c < 0x20) return false;
  }
  return true;
}

/**
 * Name normalisation `norm` (0.2): `_` and `-` become spaces, then strip, then lower-case.
 * Inner runs of spaces are kept.
 */
export function norm(s: string): string {
  if (isNormal(s)) return s;
  return strip(s.replaceAll("_", " ").replaceAll("-", " ")).toLowerCase();
}

/** Category of an id (0.3): the text before the first `.`, or the whole string. */
export function cat(s: string): string {
  const dot = s.indexOf(".");
  return dot < 0 ? s : s.slice(0, dot);
}
