"use client";

import Link from "next/link";
import type { ImageDetail } from "@/server/queries/get-image";
import type { ImageNeighbours } from "@/server/queries/image-neighbours";
import { AnnotationEditor } from "./annotation-editor";
import pageStyles from "@/components/image-detail/image-detail.module.css";

export interface AnnotationPageProps {
  image: ImageDetail;
  neighbours: ImageNeighbours;
  setIds: number[];
  fromSet: number | null;
}

/** The image page in edit mode (`?edit=1`): the same header, the ground-truth editor below it. */
export function AnnotationPage({ image, neighbours, setIds, fromSet }: AnnotationPageProps) {
  const sets = setIds.length ? `sets=${setIds.join(",")}&` : "";
  const editHref = (id: number | null) => (id === null ? null : `/images/${id}?${sets}edit=1`);
  return (
    <div className={pageStyles.page}>
      <header className={pageStyles.head}>
        <div>
          <p className={pageStyles.crumbs}>
            <Link href={`/datasets/${image.splitId}/images`}>
              {neighbours.datasetName}/{neighbours.splitName}
            </Link>
            <span> · image {neighbours.position} of {neighbours.total} · editing ground truth</span>
          </p>
          <h1 className={pageStyles.title}>{image.imageKey}</h1>
          <p className={pageStyles.muted}>
            {image.gt.width}×{image.gt.height}px · boxes in image pixels
          </p>
        </div>
      </header>
      <AnnotationEditor
        image={image}
        previousHref={editHref(neighbours.previous)}
        nextHref={editHref(neighbours.next)}
        exitHref={`/images/${image.id}${setIds.length ? `?sets=${setIds.join(",")}` : ""}`}
        fromSet={fromSet}
      />
    </div>
  );
}
