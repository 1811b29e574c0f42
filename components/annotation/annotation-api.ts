"use client";
/**
 * Browser side of the ground-truth API: the current graph with its revision, revisions, saving,
 * reverting and reviews. A refused save (409) is returned as a `conflict` result carrying the other
 * revision, never thrown, so the editor can show both graphs.
 */
import { ApiError, apiGet, apiSend } from "@/components/lib/api-client";
import { CSRF_COOKIE, CSRF_HEADER } from "@/server/auth/actor";
import type { GtGraph, GtObject, GtRelation } from "@/server/scene-graph/types";

export interface Vocabulary {
  /** The vocabulary's name for messages (VG150, PSG). */
  name: string;
  classes: string[];
  predicates: string[];
}

export interface CurrentGraph {
  revision: number;
  objects: GtObject[];
  relationships: GtRelation[];
  /** Labels outside the vocabulary, each naming its field. */
  warnings: string[];
  vocabulary: Vocabulary;
}

export interface RevisionSummary {
  number: number;
  authorName: string;
  kind: string;
  message: string | null;
  createdAt: string;
  objectCount: number;
  relationCount: number;
}

export interface Revision extends RevisionSummary {
  objects: GtObject[];
  relationships: GtRelation[];
}

export interface ConflictInfo {
  revision: number;
  authorName: string;
  createdAt: string;
  objects: GtObject[];
  relationships: GtRelation[];
}

/** A written revision, with the labels outside the vocabulary it holds (`objects.2.id: …`). */
export type WriteResult = { ok: true; revision: number; warnings: string[] } | { ok: false; conflict: ConflictInfo };

interface GraphAnswer {
  revision: number;
  datasetType: "vg" | "psg";
  graph: GtGraph;
  warnings: { field: string; message: string }[];
  vocabulary: { classes: string[]; predicates: string[] };
}

export async function fetchCurrentGraph(imageId: number): Promise<CurrentGraph> {
  const a = await apiGet<GraphAnswer>(`/api/images/${imageId}/graph`);
  return {
    revision: a.revision,
    objects: [...a.graph.objects],
    relationships: [...a.graph.relationships],
    warnings: a.warnings.map((w) => `${w.field}: ${w.message}`),
    vocabulary: { name: a.datasetType === "psg" ? "PSG" : "VG150", ...a.vocabulary },
  };
}

export const fetchRevisions = (imageId: number) => apiGet<RevisionSummary[]>(`/api/images/${imageId}/revisions`);
export const fetchRevision = (imageId: number, n: number) => apiGet<Revision>(`/api/images/${imageId}/revisions/${n}`);

function csrfHeaders(): Record<string, string> {
  const hit = document.cookie.split("; ").find((c) => c.startsWith(`${CSRF_COOKIE}=`));
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (hit) headers[CSRF_HEADER] = decodeURIComponent(hit.slice(CSRF_COOKIE.length + 1));
  return headers;
}

/** A write that may be refused for a stale base revision: 409 becomes `{ ok: false, conflict }`. */
async function write(method: "PUT" | "POST", url: string, body: unknown): Promise<WriteResult> {
  const response = await fetch(url, { method, headers: csrfHeaders(), body: JSON.stringify(body), credentials: "same-origin" });
  const data = (await response.json().catch(() => ({}))) as {
    revision?: number;
    warnings?: { field: string; message: string }[];
    error?: string;
    fields?: { field: string; message: string }[];
    current?: ConflictInfo;
  };
  if (response.status === 409 && data.current) return { ok: false, conflict: data.current };
  if (!response.ok) throw new ApiError(response.status, data.error ?? `HTTP ${response.status}`, data.fields ?? []);
  return { ok: true, revision: data.revision!, warnings: (data.warnings ?? []).map((w) => `${w.field}: ${w.message}`) };
}

export function saveGraph(imageId: number, baseRevision: number, graph: GtGraph, message?: string): Promise<WriteResult> {
  return write("PUT", `/api/images/${imageId}/graph`, { baseRevision, objects: graph.objects, relationships: graph.relationships, ...(message ? { message } : {}) });
}

export function revertTo(imageId: number, baseRevision: number, toRevision: number): Promise<WriteResult> {
  return write("POST", `/api/images/${imageId}/revisions/${toRevision}/revert`, { baseRevision });
}

export interface ReviewRequest {
  baseRevision: number;
  kind: "accepted" | "flagged";
  triplet: GtRelation;
  predictionSetId?: number;
  objects?: GtObject[];
}

export function postReview(imageId: number, review: ReviewRequest): Promise<{ revision: number }> {
  return apiSend<{ revision: number }>("POST", `/api/images/${imageId}/reviews`, review);
}
