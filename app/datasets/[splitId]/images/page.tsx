import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SplitHeader } from "@/components/datasets/split-header";
import { filtersToQuery, parseFilters } from "@/components/image-grid/browse-filters";
import { ImageBrowser } from "@/components/image-grid/image-browser";
import { getPrisma } from "@/server/db/client";
import { getSplitOverview } from "@/server/queries/dataset-overview";
import { NotFoundError } from "@/server/queries/find-split";
import { listImages } from "@/server/queries/list-images";
import { browseOptions } from "@/components/datasets/browse-options";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ splitId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

async function loadSplit(raw: string) {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) notFound();
  try {
    return await getSplitOverview(getPrisma(), id);
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const id = Number((await params).splitId);
  const split = Number.isInteger(id) && id > 0 ? await getPrisma().split.findUnique({ where: { id }, select: { name: true, dataset: { select: { name: true } } } }) : null;
  return { title: split ? `${split.dataset.name}/${split.name} images` : "Images" };
}

export default async function SplitImagesPage({ params, searchParams }: Props) {
  const split = await loadSplit((await params).splitId);
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(await searchParams)) if (typeof v === "string") sp.set(k, v);
  const filters = parseFilters(sp);
  // The first page comes with the HTML; the client pages on from its cursor.
  const page = await listImages(getPrisma(), { splitId: split.id, ...filtersToQuery(filters), limit: 120 });
  const { classes, predicates, lenses } = browseOptions(split);
  return (
    <>
      <SplitHeader split={split} />
      <ImageBrowser
        splitId={split.id}
        imageCount={split.imageCount}
        classes={classes}
        predicates={predicates}
        lenses={lenses}
        initial={{ filters: JSON.stringify(filters), page }}
      />
    </>
  );
}
