"use client";

import { useState } from "react";
import { ApiError, apiSend } from "@/components/lib/api-client";
import { defaultDraft, draftToInput, serverErrors, type Draft, type DraftDefaults, type FieldErrors } from "./predict-draft";
import { SelectField, TextField } from "./predict-fields";
import { PredictStatus } from "./predict-status";
import styles from "./predict.module.css";

export interface SplitChoice {
  readonly id: number;
  readonly label: string;
  readonly imageCount: number;
}

interface Started {
  readonly predictionSetId: number;
  readonly jobId: string | null;
}

/**
 * Starts a prediction run: split, backend (an OpenAI-compatible server or a local ONNX model), prompt,
 * sampling and limits. The browser checks the draft with the server's schema; what only the server can
 * tell (a taken name, a model folder, the key policy) comes back as field messages shown in place.
 */
export function PredictForm({ splits, defaults }: { splits: readonly SplitChoice[]; defaults: DraftDefaults }) {
  const [draft, setDraft] = useState<Draft>(() => ({ ...defaultDraft(defaults), splitId: splits[0] ? String(splits[0].id) : "" }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [started, setStarted] = useState<Started[]>([]);

  const field = (name: string) => ({
    name,
    value: draft[name] ?? "",
    error: errors[name],
    onChange: (v: string) => {
      setDraft((d) => ({ ...d, [name]: v }));
      setErrors((e) => {
        const { [name]: _drop, form: _form, ...rest } = e;
        return rest;
      });
    },
  });

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const { input, errors: found } = draftToInput(draft);
    setErrors(found);
    if (!input) return;
    setBusy(true);
    try {
      const r = await apiSend<Started>("POST", "/api/prediction-sets", input);
      setStarted((s) => [r, ...s]);
      setDraft((d) => ({ ...d, name: "" }));
    } catch (err) {
      setErrors(err instanceof ApiError ? serverErrors(err.fields, err.message) : { form: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }

  const openai = draft.backend !== "onnx";
  return (
    <>
      <form onSubmit={submit} noValidate aria-label="Start a prediction run">
        {errors.form ? (
          <p className={styles.formError} role="alert">
            {errors.form}
          </p>
        ) : null}
        <fieldset className={styles.section}>
          <legend>What to answer</legend>
          <div className={styles.grid}>
            <TextField {...field("name")} label="Prediction set name" placeholder="e.g. qwen2vl-7b-sft closed" />
            <SelectField {...field("splitId")} label="Split" choices={splits.map((s) => ({ value: String(s.id), label: `${s.label} (${s.imageCount} images)` }))} />
            <TextField {...field("imageLimit")} label="Image limit" numeric placeholder="all" hint="Only the split's first N images (by id)." />
          </div>
        </fieldset>

        <fieldset className={styles.section}>
          <legend>Model</legend>
          <div className={styles.grid}>
            <SelectField
              {...field("backend")}
              label="Backend"
              choices={[
                { value: "openai", label: "OpenAI-compatible server (vLLM, SGLang, hosted)" },
                { value: "onnx", label: "Local ONNX model (tiny model export)" },
              ]}
            />
            {openai ? (
              <>
                <TextField {...field("baseUrl")} label="Base URL" placeholder={defaults.openaiBaseUrl ?? "http://127.0.0.1:8000/v1"} hint={defaults.openaiBaseUrl ? "Empty: SGG_OPENAI_BASE_URL." : undefined} />
                <TextField {...field("model")} label="Model name" placeholder="e.g. Qwen/Qwen2-VL-7B-Instruct" />
                <SelectField
                  {...field("apiKeySource")}
                  label="API key"
                  hint="The workbench's key is only sent to SGG_OPENAI_BASE_URL; a key cannot be typed here."
                  choices={[
                    { value: "none", label: "No key" },
                    { value: "env", label: defaults.hasApiKey ? "SGG_OPENAI_API_KEY (configured)" : "SGG_OPENAI_API_KEY (not set)" },
                  ]}
                />
                <SelectField
                  {...field("boxScale")}
                  label="Box space"
                  choices={[
                    { value: "qwen2-vl", label: "Qwen2-VL: 0..1000 grid" },
                    { value: "qwen2.5-vl", label: "Qwen2.5-VL: resized pixels" },
                  ]}
                />
              </>
            ) : (
              <>
                <TextField {...field("modelDir")} label="Model folder" list="predict-onnx-models" hint="A folder of the models folder, or a run's onnx/ export." />
                <datalist id="predict-onnx-models">
                  {defaults.onnxModels.map((m) => (
                    <option key={m} value={m} />
                  ))}
                </datalist>
                <SelectField {...field("decoding")} label="Decoding" choices={[{ value: "greedy", label: "Greedy" }, { value: "sample", label: "Sample (seeded)" }]} />
                <SelectField
                  {...field("relationIds")}
                  label="Relationship ids"
                  choices={[
                    { value: "model", label: "As the model was trained" },
                    { value: "constrained", label: "Only listed objects" },
                    { value: "free", label: "Free" },
                  ]}
                />
                <TextField {...field("batchSize")} label="Batch size" numeric />
              </>
            )}
          </div>
        </fieldset>

        <fieldset className={styles.section}>
          <legend>Prompt and sampling</legend>
          <p className={styles.note}>Defaults follow the paper&apos;s evaluation: effectively greedy, at most 2,048 new tokens.</p>
          <div className={styles.grid}>
            <SelectField {...field("variant")} label="User prompt" choices={[{ value: "closed", label: "Closed: list the vocabulary" }, { value: "open", label: "Open: no lists" }]} />
            <SelectField {...field("system")} label="System prompt" choices={[{ value: "plain", label: "Plain (base, SFT models)" }, { value: "think", label: "Think (GRPO-trained models)" }]} />
            <TextField {...field("temperature")} label="Temperature" numeric />
            <TextField {...field("topP")} label="Top p" numeric />
            <TextField {...field("topK")} label="Top k" numeric placeholder="not sent" hint={openai ? "vLLM and SGLang accept it." : "0: off."} />
            <TextField {...field("maxTokens")} label="Max new tokens" numeric />
            <TextField {...field("seed")} label="Seed" numeric placeholder="none" />
          </div>
        </fieldset>

        {openai ? (
          <fieldset className={styles.section}>
            <legend>Requests</legend>
            <div className={styles.grid}>
              <TextField {...field("concurrency")} label="Concurrent requests" numeric />
              <TextField {...field("timeoutMs")} label="Timeout per request (ms)" numeric />
              <TextField {...field("retries")} label="Retries" numeric hint="On 429, 5xx, network errors and timeouts." />
            </div>
          </fieldset>
        ) : null}

        <div className={styles.submitRow}>
          <button type="submit" className={styles.submit} disabled={busy}>
            {busy ? "Starting…" : "Start prediction run"}
          </button>
        </div>
      </form>
      {started.map((s) => (
        <PredictStatus key={s.predictionSetId} predictionSetId={s.predictionSetId} jobId={s.jobId} />
      ))}
    </>
  );
}
