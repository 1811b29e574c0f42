import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { AnnotationPage } from "@/components/annotation/annotation-page";
import { ImageViewer } from "@/components/image-detail/image-viewer";
import { getPrisma } from "@/server/db/client";
import { getImage } from "@/server/queries/get-image";
import { imageNeighbours } from "@/server/queries/image-neighbours";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ imageId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

function parseId(raw: string): number | null {
  const id = Number(raw);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** `?sets=1,2`: positive ids, each once, in the order given (the first is shown first). */
function parseSets(raw: string | string[] | undefined): number[] {
  const s = Array.isArray(raw) ? raw.join(",") : (raw ?? "");
  const ids = s.split(",").map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
  return [...new Set(ids)].slice(0, 8);
}

// Metadata and page share one load per request.
const load = cache(async (id: number, sets: string) => getImage(getPrisma(), id, sets ? sets.split(",").map(Number) : []));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const id = parseId((await params).imageId);
  const image = id === null ? null : await getPrisma().image.findUnique({ where: { id }, select: { imageKey: true } });
  return { title: image ? `Image ${image.imageKey}` : "Image not found" };
}

export default async function ImagePage({ params, searchParams }: Props) {
  const id = parseId((await params).imageId);
  if (id === null) notFound();
  const search = await searchParams;
  const sets = parseSets(search.sets);
  // The image and its place in the split load side by side: they only share the id.
  const [image, neighbours] = await Promise.all([load(id, sets.join(",")), imageNeighbours(getPrisma(), id)]);
  if (!image || !neighbours) notFound();
  // `?edit=1` edits the ground truth; `&from=<set>` starts the draft from that set's answer.
  if (search.edit === "1") {
    const from = parseSets(search.from)[0] ?? null;
    return <AnnotationPage key={`${image.id}:edit`} image={image} neighbours={neighbours} setIds={sets} fromSet={from} />;
  }
  // The key remounts the viewer per image, so zoom, pins and filters start fresh.
  return <ImageViewer key={`${image.id}:${sets.join(",")}`} initial={image} setIds={sets} neighbours={neighbours} />;
}
