import type { Metadata } from "next";
import { PredictForm } from "@/components/predict/predict-form";
import { PageHeader } from "@/components/ui/page-header";
import { getPrisma } from "@/server/db/client";
import { env } from "@/server/env";
import { listOnnxModels } from "@/server/inference/list-onnx-models";

export const metadata: Metadata = { title: "Predict" };
export const dynamic = "force-dynamic";

export default async function PredictPage() {
  const splits = await getPrisma().split.findMany({
    where: { status: "ready" },
    orderBy: [{ dataset: { name: "asc" } }, { name: "asc" }],
    select: { id: true, name: true, imageCount: true, dataset: { select: { name: true } } },
  });
  const models = env().models;
  return (
    <>
      <PageHeader title="Predict">
        <p>
          Run a model over a split and store every answer as a prediction set: a large model behind an OpenAI-compatible server
          (vLLM, SGLang or a hosted API) or a local ONNX export of the tiny model. Answers are parsed as they arrive, failures
          are kept with their reason, and the finished set is evaluated automatically. The same run from a terminal:{" "}
          <code>./bin/sgg predict --split vg150/val --name … --model …</code>.
        </p>
      </PageHeader>
      {splits.length === 0 ? (
        <p>
          No split is ready yet. Ingest one first, e.g. <code>./bin/sgg ingest synthetic --name shapes --split val --images 200</code>.
        </p>
      ) : (
        <PredictForm
          splits={splits.map((s) => ({ id: s.id, label: `${s.dataset.name}/${s.name}`, imageCount: s.imageCount }))}
          defaults={{ openaiBaseUrl: models.openaiBaseUrl, hasApiKey: Boolean(models.openaiApiKey), onnxModels: await listOnnxModels() }}
        />
      )}
    </>
  );
}
