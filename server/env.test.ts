import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, env, loadEnv } from "./env";

const cwd = "/srv/sgg";

function errorOf(run: () => unknown): EnvError {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error("expected loadEnv to throw");
}

describe("loadEnv", () => {
  it("fills every default from an empty environment", () => {
    expect(loadEnv({}, cwd)).toEqual({
      web: { port: 3100 },
      database: { url: undefined, embeddedPort: 54329 },
      storage: { dataDir: path.join(cwd, "var") },
      sceneGraph: { wordnetDir: undefined },
      models: { openaiBaseUrl: undefined, openaiApiKey: undefined, modelsDir: path.join(cwd, "var/models") },
      workers: { concurrency: 2, trainerPython: "/usr/bin/python3", runsDir: path.join(cwd, "var/runs") },
      security: { adminToken: undefined, publicRead: true, secureCookies: false },
    });
  });

  it("reads every variable", () => {
    const loaded = loadEnv(
      {
        SGG_PORT: "8080",
        DATABASE_URL: "postgresql://sgg:secret@db.internal:5432/sgg",
        SGG_EMBEDDED_PG_PORT: "55432",
        SGG_DATA_DIR: "/data/sgg",
        SGG_WORDNET_DIR: "wordnet/dict",
        SGG_OPENAI_BASE_URL: "http://127.0.0.1:8000/v1",
        SGG_OPENAI_API_KEY: "sk-test",
        SGG_MODELS_DIR: "models",
        SGG_WORKER_CONCURRENCY: "4",
        SGG_TRAINER_PYTHON: "/opt/venv/bin/python",
        SGG_RUNS_DIR: "/scratch/runs",
        SGG_ADMIN_TOKEN: "0123456789abcdef-admin",
        SGG_PUBLIC_READ: "false",
        SGG_SECURE_COOKIES: "1",
      },
      cwd,
    );
    expect(loaded).toEqual({
      web: { port: 8080 },
      database: { url: "postgresql://sgg:secret@db.internal:5432/sgg", embeddedPort: 55432 },
      storage: { dataDir: "/data/sgg" },
      sceneGraph: { wordnetDir: path.join(cwd, "wordnet/dict") },
      models: { openaiBaseUrl: "http://127.0.0.1:8000/v1", openaiApiKey: "sk-test", modelsDir: path.join(cwd, "models") },
      workers: { concurrency: 4, trainerPython: "/opt/venv/bin/python", runsDir: "/scratch/runs" },
      security: { adminToken: "0123456789abcdef-admin", publicRead: false, secureCookies: true },
    });
  });

  it("treats empty and blank values as unset", () => {
    const loaded = loadEnv({ SGG_PORT: "", DATABASE_URL: "  ", SGG_DATA_DIR: "", SGG_OPENAI_API_KEY: "" }, cwd);
    expect(loaded.web.port).toBe(3100);
    expect(loaded.database.url).toBeUndefined();
    expect(loaded.storage.dataDir).toBe(path.join(cwd, "var"));
    expect(loaded.models.openaiApiKey).toBeUndefined();
  });

  it("rejects a short admin token and a non-boolean flag, naming both", () => {
    expect(() => loadEnv({ SGG_ADMIN_TOKEN: "short", SGG_PUBLIC_READ: "yes" }, cwd)).toThrow(/SGG_ADMIN_TOKEN[\s\S]*SGG_PUBLIC_READ/);
  });

  it("ignores variables it does not know", () => {
    expect(loadEnv({ PATH: "/usr/bin", HOME: "/root" }, cwd).web.port).toBe(3100);
  });

  it("names every bad variable in one error", () => {
    const error = errorOf(() =>
      loadEnv({
        SGG_PORT: "web",
        SGG_EMBEDDED_PG_PORT: "70000",
        DATABASE_URL: "mysql://localhost/sgg",
        SGG_OPENAI_BASE_URL: "not a url",
      }),
    );
    expect(error.variables).toEqual(["SGG_PORT", "DATABASE_URL", "SGG_EMBEDDED_PG_PORT", "SGG_OPENAI_BASE_URL"]);
    for (const name of error.variables) expect(error.message).toContain(name);
  });

  it("rejects fractional and negative ports", () => {
    expect(errorOf(() => loadEnv({ SGG_PORT: "3100.5" })).variables).toEqual(["SGG_PORT"]);
    expect(errorOf(() => loadEnv({ SGG_PORT: "-1" })).variables).toEqual(["SGG_PORT"]);
    expect(errorOf(() => loadEnv({ SGG_PORT: "0" })).variables).toEqual(["SGG_PORT"]);
  });

  it("keeps secrets out of the error message", () => {
    const error = errorOf(() => loadEnv({ DATABASE_URL: "mysql://sgg:hunter2@localhost/sgg" }));
    expect(error.message).not.toContain("hunter2");
  });

  it("returns a deeply frozen object", () => {
    const loaded = loadEnv({}, cwd);
    expect(Object.isFrozen(loaded)).toBe(true);
    expect(Object.isFrozen(loaded.web)).toBe(true);
    expect(() => {
      (loaded.web as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});

describe("env", () => {
  it("loads once and caches the result", () => {
    expect(env()).toBe(env());
  });
});
