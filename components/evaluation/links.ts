/**
 * URLs into the pages other parts of the workbench own. The image grid reads its filters from the query
 * string (`set` and `eval` choose the lens; `predicate`, `failure` narrow it).
 */
export function gridHref(splitId: number, setId: number, evaluationId: number, filter: { predicateId?: number; failure?: string } = {}): string {
  const sp = new URLSearchParams({ set: String(setId), eval: String(evaluationId) });
  if (filter.predicateId !== undefined) sp.set("predicate", String(filter.predicateId));
  if (filter.failure !== undefined) sp.set("failure", filter.failure);
  return `/datasets/${splitId}/images?${sp}`;
}

/** An image with one or more prediction sets drawn on it. */
export function imageHref(imageId: number, setIds: readonly number[]): string {
  return setIds.length ? `/images/${imageId}?sets=${setIds.join(",")}` : `/images/${imageId}`;
}

export const evaluationHref = (id: number) => `/evaluations/${id}`;
export const compareHref = (ids: readonly number[]) => `/compare?evaluations=${ids.join(",")}`;
