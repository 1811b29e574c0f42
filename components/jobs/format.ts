/** Words and numbers for job pages; pure, so the server render and the client agree. */

/** "45 s", "12 min", "1 h 5 min", "2 d 3 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** "3 min ago" for a past ISO time relative to `now`. */
export function formatAgo(iso: string | null, now: number): string {
  if (!iso) return "–";
  const seconds = (now - Date.parse(iso)) / 1000;
  return seconds < 5 ? "just now" : `${formatDuration(seconds)} ago`;
}

/** "42.5%" with one decimal, or null without a known total. */
export function formatPercent(fraction: number | null): string | null {
  if (fraction === null) return null;
  return `${(Math.round(Math.min(1, Math.max(0, fraction)) * 1000) / 10).toFixed(1)}%`;
}

/** The job's subject from its payload: "prediction set 3", "run 7". */
export function jobSubject(payload: unknown): string {
  if (!payload || typeof payload !== "object") return "";
  const p = payload as Record<string, unknown>;
  if (typeof p.predictionSetId === "number") return `prediction set ${p.predictionSetId}`;
  if (typeof p.runId === "number") return `run ${p.runId}`;
  return "";
}

export const ACTIVE_STATUSES = ["queued", "running"] as const;

export function isActive(status: string): boolean {
  return status === "queued" || status === "running";
}
