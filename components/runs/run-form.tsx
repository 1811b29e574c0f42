"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useMemo, useState, type FormEvent } from "react";
import { ApiError, apiSend } from "@/components/lib/api-client";
import { queryKeys } from "@/components/query-keys";
import { KNOWN_MODELS, TINY_DEFAULTS } from "@/server/runs/estimate-gpu-memory";
import { kindDefaults, REWARD_FUNCTIONS, TRAINING_REWARD_PRESETS, type RunKindName } from "@/server/runs/training-config";
import { CheckboxField, FormContext, InputField, Section, SelectField, fieldId, type Choice } from "./form-fields";
import { GpuEstimate } from "./gpu-estimate";
import { fieldErrors, initialDraft, TINY_OPTION_KEYS, toFormInput, validateDraft, type Draft, type FieldErrors } from "./run-form-draft";
import runStyles from "./runs.module.css";
import styles from "./run-form.module.css";

export interface SplitChoice {
  id: number;
  dataset: string;
  name: string;
  imageCount: number;
}

export interface CheckpointChoice {
  id: number;
  label: string;
}

const HF_IDS = ["Qwen/Qwen2-VL-2B-Instruct", "Qwen/Qwen2-VL-7B-Instruct", "Qwen/Qwen2.5-VL-3B-Instruct", "Qwen/Qwen2.5-VL-7B-Instruct"];
const PRESET_LABEL: Record<string, string> = { hard_recall: "Hard Recall", hard_recall_relax: "Hard Recall (relaxed)", soft_recall: "Soft Recall" };

/** The new-run form: every field of the run schema, validated in the browser by the same schema as the server. */
export function RunForm({ splits, checkpoints }: { splits: SplitChoice[]; checkpoints: CheckpointChoice[] }) {
  const router = useRouter();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<Draft>(initialDraft);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  // Before the first submit the form stays quiet; after it, the schema's messages follow every edit.
  const clientErrors = useMemo(() => {
    if (!submitted) return {};
    const v = validateDraft(draft);
    return v.ok ? {} : v.errors;
  }, [draft, submitted]);
  const errors = useMemo(() => ({ ...serverErrors, ...clientErrors }), [serverErrors, clientErrors]);
  const set = useCallback((name: string, value: string | boolean) => {
    setDraft((d) => ({ ...d, [name]: value }));
    // A server message is about the value it saw: editing the field clears it.
    setServerErrors((prev) => (name in prev ? Object.fromEntries(Object.entries(prev).filter(([k]) => k !== name)) : prev));
  }, []);
  const ctx = useMemo(() => ({ draft, errors, set }), [draft, errors, set]);
  const kind = draft.kind as RunKindName;
  const grpo = kind === "grpo";
  const tiny = draft["model.family"] === "tiny";
  const kd = kindDefaults[kind];

  const splitChoices: Choice[] = splits.map((s) => ({ value: String(s.id), label: `${s.name} (${s.imageCount.toLocaleString("en-US")} images)`, group: s.dataset }));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setFailure(null);
    const v = validateDraft(draft);
    if (!v.ok) {
      document.getElementById(fieldId(Object.keys(v.errors)[0]!))?.focus();
      return;
    }
    setServerErrors({});
    setBusy(true);
    try {
      const r = await apiSend<{ runId: number; jobId: string }>("POST", "/api/runs", toFormInput(draft));
      await qc.invalidateQueries({ queryKey: queryKeys.runs.all });
      router.push(`/runs/${r.runId}`);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.fields.length > 0) {
        setServerErrors(fieldErrors(err.fields));
        setFailure(err.message);
      } else {
        setFailure(err instanceof ApiError && err.status === 401 ? "Sign in to start a run." : err instanceof Error ? err.message : String(err));
      }
    }
  }

  const errorList = Object.entries(errors);
  return (
    <FormContext.Provider value={ctx}>
      <form className={styles.layout} onSubmit={onSubmit} noValidate aria-label="New training run">
        <div>
          {errorList.length > 0 ? (
            <div className={styles.summary} role="alert" data-testid="form-errors">
              {errorList.length === 1 ? "One field needs attention:" : `${errorList.length} fields need attention:`}
              <ul>
                {errorList.map(([field, message]) => (
                  <li key={field}>
                    <a href={`#${fieldId(field)}`}>{field}</a>: {message}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}

          <Section title="Run">
            <InputField name="name" label="Name" placeholder="e.g. grpo-2b-hard-recall" />
            <SelectField name="kind" label="Kind" choices={[{ value: "sft", label: "SFT (supervised)" }, { value: "grpo", label: "GRPO (reinforcement)" }]} />
            <InputField name="seed" label="Seed" numeric />
          </Section>

          <Section title="Model" note={tiny ? "The project's small model: trains on the CPU in minutes. Empty options keep its defaults." : "A Hugging Face model id, or a folder under the configured model folder."}>
            <SelectField name="model.family" label="Model" choices={[{ value: "tiny", label: "tiny (CPU)" }, { value: "hf", label: "Hugging Face model" }]} />
            {tiny ? (
              TINY_OPTION_KEYS.map((k) => <InputField key={k} name={`model.options.${k}`} label={k.replace(/_/g, " ")} numeric placeholder={String(TINY_DEFAULTS[k])} />)
            ) : (
              <InputField name="model.id" label="Model id" list="hf-model-ids" hint={`Sizes known to the estimate: ${KNOWN_MODELS.map((m) => m.spec.label).join(", ")}`} />
            )}
            <datalist id="hf-model-ids">
              {HF_IDS.map((id) => (
                <option key={id} value={id} />
              ))}
            </datalist>
            <SelectField name="initCheckpointId" label="Start from" choices={[{ value: "", label: "the base model" }, ...checkpoints.map((c) => ({ value: String(c.id), label: c.label }))]} hint="e.g. an SFT checkpoint before GRPO" />
          </Section>

          <Section title="Data">
            <SelectField name="splitId" label="Training split" choices={[{ value: "", label: "choose a split…" }, ...splitChoices]} />
            <SelectField name="evalSplitId" label="Evaluation split" choices={[{ value: "", label: "none" }, ...splitChoices]} />
            <InputField name="trainLimit" label="Training images" numeric hint="at most this many; 0 = all" />
            <SelectField name="promptVariant" label="Prompt" choices={[{ value: "closed", label: "closed (class and predicate lists)" }, { value: "open", label: "open (w/o categories)" }]} />
            <InputField name="evalEvery" label="Evaluate every" numeric hint="steps; 0 = never" />
            <InputField name="evalImages" label="Evaluation images" numeric />
          </Section>

          {grpo ? (
            <>
              <Section title="Reward" note="The total reward sums the preset's functions, each with weight 1 unless set here; a weight on a function outside the preset has no effect.">
                <SelectField name="reward.preset" label="Preset" choices={TRAINING_REWARD_PRESETS.map((p) => ({ value: p, label: PRESET_LABEL[p] ?? p }))} />
                {REWARD_FUNCTIONS.map((f) => (
                  <InputField key={f} name={`reward.weights.${f}`} label={`weight ${f}`} numeric placeholder="preset" />
                ))}
              </Section>
              <Section title="GRPO">
                <InputField name="groupSize" label="Group size G" numeric hint="completions per prompt" />
                <InputField name="promptsPerStep" label="Prompts per step" numeric hint="over all GPUs" />
                <InputField name="beta" label="KL β" numeric hint="0: no reference model" />
                <InputField name="clipEps" label="Clip ε" numeric />
                <InputField name="sampling.temperature" label="Temperature" numeric />
                <InputField name="sampling.topP" label="Top p" numeric />
                <InputField name="sampling.topK" label="Top k" numeric hint="0: off" />
              </Section>
            </>
          ) : null}

          <Section title="Optimisation" note={`Empty fields take the ${kind.toUpperCase()} reference defaults.`}>
            <InputField name="learningRate" label="Learning rate" numeric placeholder={String(kd.lr)} />
            <SelectField name="schedule" label="Schedule" choices={[{ value: "linear", label: "linear decay" }, { value: "constant", label: "constant" }]} />
            <InputField name="warmupRatio" label="Warm-up ratio" numeric placeholder={String(kd.warmupRatio)} />
            <InputField name="maxGradNorm" label="Gradient clip" numeric placeholder={String(kd.maxGradNorm)} />
            <InputField name="epochs" label="Epochs" numeric placeholder={String(kd.epochs)} />
            <InputField name="maxSteps" label="Max steps" numeric hint="0: from epochs and data" />
            {grpo ? null : <InputField name="batchSize" label="Batch size" numeric hint="examples per step, all GPUs" />}
            <InputField name="microBatchSize" label="Micro-batch" numeric hint="sequences per forward pass" />
            <InputField name="maxCompletionLength" label="Max completion length" numeric hint="tokens" />
          </Section>

          {grpo && !tiny ? null : (
          <Section title="Method options" note="The reference augments SFT data, teaches only the plain system prompt and decodes freely.">
            {grpo ? null : <CheckboxField name="augment" label="Augment" hint="shuffle and renumber objects from an example's second draw" />}
            {grpo ? null : <InputField name="thinkPromptRatio" label="Think-prompt ratio" numeric hint="0–1: share of examples taught under the think prompt (a model trained from scratch needs it before GRPO)" />}
            {tiny ? <CheckboxField name="constrainRelationIds" label="Constrain relationship ids" hint="a relationship may name only listed objects, in rollouts, evaluation and the ONNX export" /> : null}
          </Section>
          )}

          <Section title="Checkpoints">
            <InputField name="checkpointEvery" label="Checkpoint every" numeric hint="steps; 0 = only at the end" />
            {tiny ? <CheckboxField name="exportOnnx" label="Export ONNX" hint="for the workbench's own inference" /> : null}
          </Section>

          <Section title="Compute">
            <InputField name="gpus" label="GPUs" numeric hint="0: CPU; more than 1: torchrun" />
            <InputField name="threads" label="CPU threads" numeric hint="0: all cores" />
            <SelectField name="launcher.type" label="Launcher" choices={[{ value: "local", label: "this machine" }, { value: "slurm", label: "Slurm (sbatch)" }]} />
            {draft["launcher.type"] === "slurm" ? (
              <>
                <InputField name="launcher.partition" label="Partition" />
                <InputField name="launcher.account" label="Account" hint="optional" />
                <InputField name="launcher.timeMinutes" label="Time limit" numeric hint="minutes" />
              </>
            ) : null}
          </Section>

          <div className={styles.submitRow}>
            <button type="submit" className={runStyles.buttonPrimary} disabled={busy}>
              {busy ? "Starting…" : "Start run"}
            </button>
            {failure ? <span className={runStyles.error} role="alert">{failure}</span> : null}
          </div>
        </div>
        <aside className={styles.aside}>
          <GpuEstimate draft={draft} />
        </aside>
      </form>
    </FormContext.Provider>
  );
}
