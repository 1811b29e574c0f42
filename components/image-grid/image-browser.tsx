"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef } from "react";
import { filtersToSearch, isFiltered, parseFilters, type BrowseFilters } from "./browse-filters";
import { ImageFilters, type Lens, type Option } from "./image-filters";
import { ImageTile, TileSkeleton, tileHeight } from "./image-tile";
import { useImagePages, type ImagePage } from "./use-image-pages";
import { VirtualGrid } from "./virtual-grid";
import styles from "./image-grid.module.css";

export interface ImageBrowserProps {
  splitId: number;
  imageCount: number;
  classes: readonly Option[];
  predicates: readonly Option[];
  lenses: readonly Lens[];
  /** The first page for the URL's filters, rendered by the server. */
  initial?: { filters: string; page: ImagePage };
}

const SKELETONS = Array.from({ length: 10 }, (_, i) => i);
const nf = new Intl.NumberFormat("en-US");

/** The split's image grid: filters in the URL, pages from the images API, rows windowed. */
export function ImageBrowser({ splitId, imageCount, classes, predicates, lenses, initial }: ImageBrowserProps) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filters = useMemo(() => parseFilters(searchParams), [searchParams]);
  const query = useImagePages(splitId, filters, initial);

  // The URL catches up a moment after router.replace; a second change made before it does must build
  // on the first, not on the stale URL, or the first is lost.
  const pending = useRef<BrowseFilters | null>(null);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (pending.current && filtersToSearch(pending.current) === filtersToSearch(filters)) pending.current = null;
  }, [filters]);
  const apply = useCallback(
    (next: BrowseFilters) => {
      const search = filtersToSearch(next);
      // Kept as the URL will read back, so that the effect above recognises it.
      pending.current = parseFilters(new URLSearchParams(search));
      // replace, not push: tweaking filters should not fill the back button's history.
      router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
      // Deep in the old list, a new list starts at its top, not wherever the old offset lands.
      const top = root.current ? root.current.getBoundingClientRect().top + window.scrollY : 0;
      if (window.scrollY > top) window.scrollTo({ top });
    },
    [router, pathname],
  );
  const onChange = useCallback((patch: Partial<BrowseFilters>) => apply({ ...(pending.current ?? filters), ...patch }), [apply, filters]);

  const { data, hasNextPage, isFetchingNextPage, fetchNextPage, isPending, isError, error, isPlaceholderData, refetch } = query;
  const items = useMemo(() => data?.pages.flatMap((p) => p.items) ?? [], [data]);
  const onNearEnd = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage && !isPlaceholderData) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isPlaceholderData, fetchNextPage]);

  const filtered = isFiltered(filters);
  const count = isPending ? "Loading images…" : hasNextPage ? `${nf.format(items.length)}${filtered ? "+" : ` of ${nf.format(imageCount)}`} images` : `${nf.format(items.length)} ${items.length === 1 ? "image" : "images"}`;

  return (
    <div ref={root} className={styles.browser}>
      <div className={styles.toolbar}>
        <ImageFilters
          filters={filters}
          onChange={onChange}
          classes={classes}
          predicates={predicates}
          lenses={lenses}
          status={
            <div className={styles.status}>
              <span data-testid="result-count" aria-live="polite" className={styles.count}>
                {count}
                {filtered && !isPending ? <span className={styles.countNote}> match</span> : null}
              </span>
              {isPlaceholderData ? <span className={styles.updating}>Updating…</span> : null}
              {filtered || filters.setId !== undefined ? (
                <button type="button" className={styles.clear} onClick={() => apply({ sort: "id" })}>
                  Reset
                </button>
              ) : null}
            </div>
          }
        />
      </div>

      {isError && !data ? (
        <div className={styles.message} role="alert">
          <strong>The images could not be loaded.</strong>
          <span>{error.message}</span>
          <button type="button" onClick={() => void refetch()}>
            Try again
          </button>
        </div>
      ) : isPending ? (
        <VirtualGrid items={SKELETONS} minTileWidth={180} gap={14} tileHeight={tileHeight} getKey={(i) => i} renderTile={() => <TileSkeleton />} />
      ) : items.length === 0 ? (
        <div className={styles.message}>
          <strong>No images match these filters.</strong>
          <button type="button" onClick={() => onChange({ classId: undefined, predicateId: undefined, failure: undefined, prediction: undefined, recallMin: undefined, recallMax: undefined })}>
            Clear filters
          </button>
        </div>
      ) : (
        <div className={isPlaceholderData ? styles.stale : undefined}>
          <VirtualGrid
            items={items}
            minTileWidth={180}
            gap={14}
            tileHeight={tileHeight}
            getKey={(img) => img.id}
            onNearEnd={onNearEnd}
            renderTile={(img) => <ImageTile image={img} setId={filters.setId} withRecall={filters.evalId !== undefined} />}
          />
        </div>
      )}
      <div className={styles.footer} aria-live="polite">
        {isFetchingNextPage ? "Loading more…" : isError && data ? <button type="button" onClick={() => void fetchNextPage()}>Loading failed, retry</button> : !hasNextPage && items.length > 0 ? "End of list" : ""}
      </div>
    </div>
  );
}
