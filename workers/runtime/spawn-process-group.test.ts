import { describe, expect, it } from "vitest";
import { spawnProcessGroup } from "./spawn-process-group";
import { processAlive, waitFor } from "./test-support";

describe("spawnProcessGroup", () => {
  it("delivers stdout line by line, keeps the stderr tail and reports the exit code", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const r = await spawnProcessGroup("bash", ["-c", 'for i in 1 2 3; do echo "line $i"; done; echo "warn a" >&2; printf "no newline"; echo "warn b" >&2; exit 3'], {
      onStdoutLine: (l) => out.push(l),
      onStderrLine: (l) => err.push(l),
    });
    expect(out).toEqual(["line 1", "line 2", "line 3", "no newline"]);
    expect(err).toEqual(["warn a", "warn b"]);
    expect(r).toMatchObject({ code: 3, signal: null, stderrTail: "warn a\nwarn b\n", aborted: false });
  });

  it("passes arguments to the program as they are, never through a shell", async () => {
    const out: string[] = [];
    const tricky = "$(echo injected); `id`; * && echo two";
    await spawnProcessGroup("printf", ["%s\n", tricky], { onStdoutLine: (l) => out.push(l) });
    expect(out).toEqual([tricky]);
  });

  it("keeps only the last characters of stderr", async () => {
    const r = await spawnProcessGroup("bash", ["-c", "for i in $(seq 1 200); do echo \"error line $i\" >&2; done"], { stderrTailChars: 40 });
    expect(r.stderrTail.length).toBe(40);
    expect(r.stderrTail.endsWith("error line 200\n")).toBe(true);
  });

  it("on abort kills the whole group, grandchildren that ignore SIGTERM included", async () => {
    const pids: number[] = [];
    const ac = new AbortController();
    // The sleeping grandchild inherits the ignored SIGTERM, so only the SIGKILL after the grace ends it.
    const run = spawnProcessGroup("bash", ["-c", 'trap "" TERM; sleep 300 & echo $!; echo $$; wait'], {
      signal: ac.signal,
      killGraceMs: 300,
      onStdoutLine: (l) => pids.push(Number(l)),
    });
    await waitFor("both pids", async () => pids.length === 2);
    expect(await Promise.all(pids.map(processAlive))).toEqual([true, true]);
    const started = Date.now();
    ac.abort();
    const r = await run;
    expect(r.aborted).toBe(true);
    expect(r.signal).toBe("SIGKILL");
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await waitFor("the grandchild to be gone", async () => !(await processAlive(pids[0]!)), 3000);
    expect(await processAlive(pids[1]!)).toBe(false);
  });

  it("stops members left behind when the leader exits on its own", async () => {
    const pids: number[] = [];
    const r = await spawnProcessGroup("bash", ["-c", "sleep 300 & echo $!; exit 0"], { killGraceMs: 500, onStdoutLine: (l) => pids.push(Number(l)) });
    expect(r).toMatchObject({ code: 0, aborted: false });
    await waitFor("the orphaned sleep to be gone", async () => !(await processAlive(pids[0]!)), 5000);
  });

  it("resolves without starting anything when already aborted", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(spawnProcessGroup("sleep", ["300"], { signal: ac.signal })).resolves.toMatchObject({ pid: 0, aborted: true });
  });

  it("rejects naming the program when it cannot be started", async () => {
    await expect(spawnProcessGroup("/nonexistent/trainer", ["--help"])).rejects.toThrow("could not start /nonexistent/trainer: spawn /nonexistent/trainer ENOENT");
  });

  it("stops the group and rejects with the error when a line callback throws", async () => {
    const pids: number[] = [];
    const run = spawnProcessGroup("bash", ["-c", "echo $$; echo bad; sleep 300"], {
      killGraceMs: 500,
      onStdoutLine: (l) => {
        if (l === "bad") throw new Error("unparseable event");
        pids.push(Number(l));
      },
    });
    await expect(run).rejects.toThrow("unparseable event");
    expect(await processAlive(pids[0]!)).toBe(false);
  });
});
