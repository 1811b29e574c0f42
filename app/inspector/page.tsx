import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { inspectorChoices, inspectorImage } from "@/app/api/rewards/_lib/inspect-completion";
import { ImagePicker } from "@/components/inspector/image-picker";
import { RewardInspector } from "@/components/inspector/reward-inspector";
import { PageHeader } from "@/components/ui/page-header";
import { getPrisma } from "@/server/db/client";

export const metadata: Metadata = { title: "Reward inspector" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const positiveInt = (v: string | string[] | undefined) => {
  const n = typeof v === "string" ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 && n < 2 ** 31 ? n : undefined;
};

export default async function InspectorPage({ searchParams }: Props) {
  const sp = await searchParams;
  const imageId = positiveInt(sp.image);
  const prisma = getPrisma();
  const image = imageId === undefined ? null : await inspectorImage(prisma, imageId);
  if (imageId !== undefined && !image) notFound();
  const splitId = image?.splitId ?? positiveInt(sp.split);
  const { splits, images } = await inspectorChoices(prisma, splitId);
  return (
    <>
      <PageHeader title="Reward inspector">
        <p>
          Paste or edit a model output for an image and see what the trainer&apos;s reward core makes of it: the parse, the Hungarian
          matching of predicted to ground-truth boxes, and every reward term with the three preset totals.
        </p>
      </PageHeader>
      <ImagePicker splits={splits} images={images} splitId={splitId} imageId={image?.id} />
      {image ? <RewardInspector key={image.id} image={image} /> : <p>Choose an image to start.</p>}
    </>
  );
}
