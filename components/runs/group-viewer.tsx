"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { apiGet } from "@/components/lib/api-client";
import { queryKeys } from "@/components/query-keys";
import type { RolloutCompletion, RolloutGroup, RunRollouts } from "@/server/queries/list-rollouts";
import { BoxPicture } from "./box-picture";
import { formatMetric } from "./format";
import styles from "./run-charts.module.css";
import runStyles from "./runs.module.css";

const imageSrc = (g: RolloutGroup) => (g.image?.storageKey ? `/api/image-files/${g.image.storageKey}` : null);

function CompletionCard({ group, c, selected, onSelect }: { group: RolloutGroup; c: RolloutCompletion; selected: boolean; onSelect: () => void }) {
  const adv = c.advantage ?? 0;
  return (
    <button type="button" className={selected ? `${styles.card} ${styles.cardSelected}` : styles.card} onClick={onSelect} aria-pressed={selected} data-completion={c.index}>
      <BoxPicture src={imageSrc(group)} width={group.width} height={group.height} gt={[]} pred={c.parse.ok ? c.parse.objects : []} labels={false} alt="" />
      <span className={styles.cardHead}>
        <span>
          #{c.index + 1} reward <b>{formatMetric(c.reward)}</b>
        </span>
        <span className={adv > 0 ? styles.advPos : adv < 0 ? styles.advNeg : undefined} title="advantage">
          A {adv > 0 ? "+" : ""}
          {formatMetric(c.advantage)}
        </span>
      </span>
      <span className={runStyles.sub}>
        {c.length ?? "?"} tokens · {c.parse.ok ? `${c.parse.objects.length} boxes, ${c.parse.relations} relations` : c.parse.kind.replace(/_/g, " ")}
        {c.failed ? (
          <>
            {" "}
            <span className={styles.failedTag}>failed</span>
          </>
        ) : null}
      </span>
    </button>
  );
}

/**
 * The GRPO group viewer: pick a step that has groups and one of its prompts; the image shows the
 * ground truth and the chosen completion's boxes, and every one of the G completions is listed with its
 * total reward, advantage, length, failed flag and, for the chosen one, each reward function's value and
 * the raw text. A group whose rewards are all equal is flagged: its advantages are 0 and it teaches nothing.
 */
export function GroupViewer({ runId, live }: { runId: number; live: boolean }) {
  // Follow the newest step until a step is picked.
  const [step, setStep] = useState<number | null>(null);
  const [promptIdx, setPromptIdx] = useState(0);
  const [picked, setPicked] = useState(0);
  const { data, error } = useQuery({
    queryKey: queryKeys.runs.rollouts(runId, step),
    queryFn: () => apiGet<RunRollouts>(`/api/runs/${runId}/rollouts${step === null ? "" : `?step=${step}`}`),
    refetchInterval: live && step === null ? 5000 : false,
    placeholderData: (prev) => prev,
  });
  const steps = data?.steps ?? [];
  const shown = data?.step ?? null;
  const group = data?.groups[Math.min(promptIdx, Math.max(0, (data?.groups.length ?? 1) - 1))];
  const completion = group?.completions[Math.min(picked, Math.max(0, group.completions.length - 1))];
  const pickStep = (s: number) => {
    setStep(s);
    setPromptIdx(0);
    setPicked(0);
  };
  const at = shown === null ? -1 : steps.indexOf(shown);

  return (
    <section className={runStyles.panel} aria-labelledby="run-groups">
      <h2 id="run-groups" className={runStyles.panelTitle}>
        GRPO groups <span className={runStyles.panelNote}>{steps.length} steps with stored groups</span>
      </h2>
      {error ? <p className={runStyles.error}>{error.message}</p> : null}
      {steps.length === 0 ? (
        <p className={runStyles.empty}>{live ? "No group stored yet." : "This run stored no GRPO groups."}</p>
      ) : (
        <>
          <div className={styles.groupBar}>
            <label>
              Step
              <input
                className={styles.slider}
                type="range"
                min={0}
                max={steps.length - 1}
                value={Math.max(0, at)}
                onChange={(e) => pickStep(steps[Number(e.target.value)]!)}
                aria-label="Step with groups"
                aria-valuetext={shown === null ? undefined : `step ${shown}`}
              />
              <b data-testid="group-step">{shown ?? "–"}</b>
            </label>
            <button type="button" className={runStyles.button} disabled={at <= 0} onClick={() => pickStep(steps[at - 1]!)}>
              ← previous
            </button>
            <button type="button" className={runStyles.button} disabled={at < 0 || at >= steps.length - 1} onClick={() => pickStep(steps[at + 1]!)}>
              next →
            </button>
            {step !== null ? (
              <button type="button" className={runStyles.button} onClick={() => setStep(null)}>
                follow newest
              </button>
            ) : null}
            {data && data.groups.length > 0 ? (
              <label>
                Prompt
                <select
                  value={Math.min(promptIdx, data.groups.length - 1)}
                  onChange={(e) => {
                    setPromptIdx(Number(e.target.value));
                    setPicked(0);
                  }}
                  aria-label="Prompt"
                >
                  {data.groups.map((g, i) => (
                    <option key={g.id} value={i}>
                      {g.image ? `image ${g.image.imageKey}` : `prompt ${g.promptId}`}
                      {g.zeroVariance ? " (flat)" : ""}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
          </div>
          {!group ? (
            <p className={runStyles.empty}>No groups at step {shown}.</p>
          ) : (
            <>
              {group.problem ? <p className={runStyles.error}>{group.problem}</p> : null}
              {group.zeroVariance ? (
                <p className={styles.flat} data-testid="zero-variance">
                  All {group.completions.length} completions got the same reward: every advantage is 0, so this group gives no learning signal.
                </p>
              ) : (
                <p className={runStyles.sub}>
                  Reward std {formatMetric(group.rewardStd)} over {group.completions.length} completions.
                </p>
              )}
              <div className={styles.viewer}>
                <div>
                  <BoxPicture
                    key={group.id}
                    src={imageSrc(group)}
                    width={group.width}
                    height={group.height}
                    gt={group.gt}
                    pred={completion?.parse.ok ? completion.parse.objects : []}
                    labels
                    alt={group.image ? `Image ${group.image.imageKey}` : `Prompt ${group.promptId}`}
                  />
                  <p className={runStyles.sub}>Dashed white: ground truth. Coloured: completion #{(completion?.index ?? 0) + 1}.</p>
                  {completion ? (
                    <>
                      {completion.problem ? <p className={runStyles.error}>stored entry: {completion.problem}</p> : null}
                      {completion.parse.ok ? null : <p className={runStyles.error}>Does not parse: {completion.parse.message}</p>}
                      <table className={styles.values} aria-label="Reward per function">
                        <tbody>
                          {Object.entries(completion.values).map(([k, v]) => (
                            <tr key={k}>
                              <td>{k}</td>
                              <td>{formatMetric(v)}</td>
                            </tr>
                          ))}
                          <tr>
                            <td>
                              <b>total</b>
                            </td>
                            <td>
                              <b>{formatMetric(completion.reward)}</b>
                            </td>
                          </tr>
                        </tbody>
                      </table>
                      <pre className={styles.raw}>{completion.text || "(empty)"}</pre>
                    </>
                  ) : null}
                </div>
                <div className={styles.cards}>
                  {group.completions.map((c, i) => (
                    <CompletionCard key={`${group.id}-${c.index}`} group={group} c={c} selected={i === picked} onSelect={() => setPicked(i)} />
                  ))}
                </div>
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}
