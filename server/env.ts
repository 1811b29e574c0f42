/**
 * The one validated view of the environment, shared by the web app, the workers and the CLI.
 *
 * Keep this module free of `next/*` imports: the CLI and the workers load it outside Next.
 * `.env.example` documents every variable read here, in the same sections.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

// `.env` files and shells often leave a variable set but empty; treat that as "not set".
const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const port = (fallback: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^\d+$/, "expected a port number")
      .transform(Number)
      .pipe(z.number().int().min(1, "expected a port 1-65535").max(65535, "expected a port 1-65535"))
      .default(fallback),
  );

const optionalText = z.preprocess(blankToUndefined, z.string().trim().optional());

const optionalUrl = (protocols: readonly string[], hint: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .refine((value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      }, hint)
      .optional(),
  );

const flag = (fallback: boolean) =>
  z.preprocess(
    blankToUndefined,
    z
      .enum(["true", "false", "1", "0"], "expected true or false")
      .transform((v) => v === "true" || v === "1")
      .default(fallback),
  );

const count = (fallback: number, max: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^\d+$/, "expected a whole number")
      .transform(Number)
      .pipe(z.number().int().min(1, `expected 1-${max}`).max(max, `expected 1-${max}`))
      .default(fallback),
  );

const schema = z.object({
  // Web
  SGG_PORT: port(3100),
  // Database
  DATABASE_URL: optionalUrl(["postgres:", "postgresql:"], "expected a postgres:// or postgresql:// URL"),
  SGG_EMBEDDED_PG_PORT: port(54329),
  // Storage
  SGG_DATA_DIR: z.preprocess(blankToUndefined, z.string().trim().default("./var")),
  // Scene-graph core
  SGG_WORDNET_DIR: optionalText,
  // Models
  SGG_OPENAI_BASE_URL: optionalUrl(["http:", "https:"], "expected an http:// or https:// URL"),
  SGG_OPENAI_API_KEY: optionalText,
  // Workers
  SGG_WORKER_CONCURRENCY: count(2, 64),
  SGG_TRAINER_PYTHON: z.preprocess(blankToUndefined, z.string().trim().default("/usr/bin/python3")),
  SGG_RUNS_DIR: optionalText,
  SGG_MODELS_DIR: optionalText,
  // Security
  SGG_ADMIN_TOKEN: z.preprocess(blankToUndefined, z.string().trim().min(16, "use at least 16 characters").optional()),
  SGG_PUBLIC_READ: flag(true),
  SGG_SECURE_COOKIES: flag(false),
});

export interface Env {
  readonly web: { readonly port: number };
  readonly database: {
    /** Absent: the workbench starts an embedded PostgreSQL on `embeddedPort`. */
    readonly url: string | undefined;
    readonly embeddedPort: number;
  };
  /** Absolute path; relative values are resolved against the working directory at load time. */
  readonly storage: { readonly dataDir: string };
  readonly sceneGraph: {
    /** Absolute path to a WordNet 3.0 `dict` folder; absent: the bundled npm copy is used. */
    readonly wordnetDir: string | undefined;
  };
  readonly models: {
    readonly openaiBaseUrl: string | undefined;
    readonly openaiApiKey: string | undefined;
    /** Absolute; Hugging Face model folders and shipped ONNX models are looked up here. */
    readonly modelsDir: string;
  };
  readonly workers: {
    /** Jobs one worker process runs at the same time. */
    readonly concurrency: number;
    /** Interpreter with torch for the trainer (Debian's python3-torch lives under /usr/bin/python3). */
    readonly trainerPython: string;
    /** Absolute; every run folder is created under it and every run path must stay inside it. */
    readonly runsDir: string;
  };
  readonly security: {
    /** Bearer token with admin rights (scripts, CI); absent: only user accounts can change things. */
    readonly adminToken: string | undefined;
    /** Browsing without signing in; mutating actions always need a user. */
    readonly publicRead: boolean;
    /** Mark session cookies Secure (behind HTTPS). */
    readonly secureCookies: boolean;
  };
}

export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Thrown by `loadEnv`; the message names every bad variable, one per line, never its value. */
export class EnvError extends Error {
  readonly variables: readonly string[];

  constructor(problems: readonly { variable: string; message: string }[]) {
    const lines = problems.map((p) => `  ${p.variable}: ${p.message}`);
    super(`Invalid environment (see .env.example):\n${lines.join("\n")}`);
    this.name = "EnvError";
    this.variables = [...new Set(problems.map((p) => p.variable))];
  }
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === "object") deepFreeze(child);
  }
  return Object.freeze(value);
}

/** Validates `source` (default `process.env`) and returns a frozen, sectioned config. */
export function loadEnv(source: EnvSource = process.env, cwd: string = process.cwd()): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? "(environment)"), message: issue.message })),
    );
  }
  const v = parsed.data;
  return deepFreeze({
    web: { port: v.SGG_PORT },
    database: { url: v.DATABASE_URL, embeddedPort: v.SGG_EMBEDDED_PG_PORT },
    storage: { dataDir: path.resolve(cwd, v.SGG_DATA_DIR) },
    sceneGraph: { wordnetDir: v.SGG_WORDNET_DIR === undefined ? undefined : path.resolve(cwd, v.SGG_WORDNET_DIR) },
    models: {
      openaiBaseUrl: v.SGG_OPENAI_BASE_URL,
      openaiApiKey: v.SGG_OPENAI_API_KEY,
      modelsDir: path.resolve(cwd, v.SGG_MODELS_DIR ?? path.join(v.SGG_DATA_DIR, "models")),
    },
    workers: {
      concurrency: v.SGG_WORKER_CONCURRENCY,
      trainerPython: v.SGG_TRAINER_PYTHON,
      runsDir: path.resolve(cwd, v.SGG_RUNS_DIR ?? path.join(v.SGG_DATA_DIR, "runs")),
    },
    security: { adminToken: v.SGG_ADMIN_TOKEN, publicRead: v.SGG_PUBLIC_READ, secureCookies: v.SGG_SECURE_COOKIES },
  });
}

let cached: Env | undefined;

/**
 * `loadEnv()` once per process; later calls return the same object. A `.env` file in the working
 * directory fills in variables the process was not given (Next.js loads it itself; the CLI and
 * workers rely on this), so the shell always wins over the file.
 */
export function env(): Env {
  if (!cached) {
    if (existsSync(".env")) process.loadEnvFile(".env");
    cached = loadEnv();
  }
  return cached;
}
