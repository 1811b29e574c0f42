"use client";
/**
 * Browser side of mutating API calls: JSON in and out, the CSRF token (a readable cookie set at sign-in)
 * echoed in a header, and the server's error message (naming the bad field) thrown as `ApiError`.
 */
import { CSRF_COOKIE, CSRF_HEADER } from "@/server/auth/actor";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: readonly { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

function readCookie(name: string): string | undefined {
  if (typeof document === "undefined") return undefined;
  const hit = document.cookie.split("; ").find((c) => c.startsWith(`${name}=`));
  return hit ? decodeURIComponent(hit.slice(name.length + 1)) : undefined;
}

/** Sends `body` as JSON with `method`; resolves to the decoded answer or throws `ApiError`. */
export async function apiSend<T>(method: "POST" | "PUT" | "PATCH" | "DELETE", url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers[CSRF_HEADER] = csrf;
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
  const text = await response.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const err = (data ?? {}) as { error?: string; fields?: { field: string; message: string }[] };
    throw new ApiError(response.status, err.error ?? `${response.status} ${response.statusText}`, err.fields ?? []);
  }
  return data as T;
}

/** GET as JSON, throwing `ApiError` on a non-2xx answer (react-query `queryFn`s use it). */
export async function apiGet<T>(url: string): Promise<T> {
  const response = await fetch(url, { credentials: "same-origin" });
  const data = (await response.json().catch(() => undefined)) as unknown;
  if (!response.ok) throw new ApiError(response.status, ((data ?? {}) as { error?: string }).error ?? `${response.status}`);
  return data as T;
}
