"use client";

import { keepPreviousData, useInfiniteQuery, type InfiniteData } from "@tanstack/react-query";
import { queryKeys } from "@/components/query-keys";
import { filtersToApi, type BrowseFilters } from "./browse-filters";
import type { ImageListItem } from "@/server/queries/list-images";

export type ImagePage = { items: ImageListItem[]; nextCursor: string | null };

async function fetchPage(splitId: number, filters: BrowseFilters, cursor: string | null): Promise<ImagePage> {
  const sp = filtersToApi(filters);
  if (cursor) sp.set("cursor", cursor);
  const res = await fetch(`/api/splits/${splitId}/images?${sp}`);
  const body = (await res.json().catch(() => null)) as (ImagePage & { error?: string }) | null;
  if (!res.ok || !body) throw new Error(body?.error ?? `images request failed (${res.status})`);
  return body;
}

/**
 * Keyset pages of a split's images. The server renders the first page of the URL's filters, handed in
 * as `initial` so the grid paints without a round trip; later filter changes keep the old pages on
 * screen until the new ones arrive (no flash of an empty grid).
 */
export function useImagePages(splitId: number, filters: BrowseFilters, initial?: { filters: string; page: ImagePage }) {
  const key = JSON.stringify(filters);
  return useInfiniteQuery<ImagePage, Error, InfiniteData<ImagePage, string | null>, readonly unknown[], string | null>({
    queryKey: queryKeys.images.list(splitId, { ...filters }),
    queryFn: ({ pageParam }) => fetchPage(splitId, filters, pageParam),
    initialPageParam: null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: initial && initial.filters === key ? { pages: [initial.page], pageParams: [null] } : undefined,
    placeholderData: keepPreviousData,
  });
}
