import { mkdtemp, mkdir, readdir, readFile, rm, writeFile, cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "./generated/client";
import { getPrisma } from "./client";
import { applyMigrations, createMigration, migrationStatus, pendingSchemaSql } from "./migrate";
import { createTestDatabase, type TestDatabase } from "./test-database";
import { resolveTestServer } from "./test-server";

const repo = path.resolve(import.meta.dirname, "../..");

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function migrationNames(): Promise<string[]> {
  const entries = await readdir(path.join(repo, "prisma/migrations"), { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

describe("migrations", () => {
  it("createTestDatabase applied every migration to an empty database", async () => {
    const rows = await db.prisma.$queryRaw<{ migration_name: string; finished_at: Date | null }[]>`
      SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name`;
    expect(rows.map((r) => r.migration_name)).toEqual(await migrationNames());
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it("a second deploy is a no-op and status reports up to date", async () => {
    expect(await applyMigrations(db.url)).toEqual({ applied: [] });
    const status = await migrationStatus(db.url);
    expect(status.upToDate).toBe(true);
    expect(status.local).toEqual(await migrationNames());
  });

  it("the committed migrations match prisma/schema.prisma", async () => {
    // Fails when the schema was changed without `db-migrate dev <name>`.
    expect(await pendingSchemaSql(db.url)).toBeNull();
  });

  it("dev writes a migration for a schema change, applies it, and status sees pending ones", async () => {
    const work = await mkdtemp(path.join(tmpdir(), "sgg-migrate-"));
    const scratch = await createTestDatabase();
    try {
      const migrationsDir = path.join(work, "migrations");
      await cp(path.join(repo, "prisma/migrations"), migrationsDir, { recursive: true });
      const schemaPath = path.join(work, "schema.prisma");
      const schema = await readFile(path.join(repo, "prisma/schema.prisma"), "utf8");
      await writeFile(schemaPath, schema.replace(/model Model \{\n/, "model Model {\n  note String?\n"));
      const options = { schemaPath, migrationsDir, now: new Date("2999-01-01T00:00:00Z") };

      const created = await createMigration(scratch.url, "Add note!", options);
      expect(created.created).toBe("29990101000000_add_note");
      expect(created.applied).toEqual([created.created]);
      const sql = await readFile(path.join(migrationsDir, created.created!, "migration.sql"), "utf8");
      expect(sql).toContain(`ALTER TABLE "Model" ADD COLUMN     "note" TEXT`);
      expect(await createMigration(scratch.url, "again", options)).toEqual({ created: null, applied: [] });

      // The main test database has not seen the new migration.
      const status = await migrationStatus(db.url, options);
      expect(status.upToDate).toBe(false);
      expect(status.history).toEqual({ diagnostic: "databaseIsBehind", unappliedMigrationNames: [created.created] });
    } finally {
      await scratch.drop();
      await rm(work, { recursive: true, force: true });
    }
  });

  it("reports an unusable migration name and an unreachable database", async () => {
    await expect(createMigration(db.url, "!!!")).rejects.toThrow(/not a usable migration name/);
    await expect(applyMigrations("postgresql://postgres@127.0.0.1:1/none")).rejects.toThrow(/127\.0\.0\.1:1/);
  });

  it("an empty migrations folder is an empty history", async () => {
    const work = await mkdtemp(path.join(tmpdir(), "sgg-migrate-"));
    try {
      await mkdir(path.join(work, "migrations"));
      expect(await applyMigrations(db.url, { migrationsDir: path.join(work, "migrations") })).toEqual({ applied: [] });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});

describe("client", () => {
  it("round-trips a dataset, split, image and object", async () => {
    const prisma = db.prisma;
    const dataset = await prisma.dataset.create({
      data: {
        name: "vg150-sample",
        format: "records-jsonl",
        datasetType: "vg",
        source: "generated",
        splits: {
          create: {
            name: "val",
            fingerprint: "f1",
            images: {
              create: {
                imageKey: "1",
                width: 640,
                height: 480,
                objectCount: 1,
                relationCount: 0,
                objects: { create: { splitId: 0, idx: 0, label: "person.1", classId: 3, x1: 1.5, y1: 2, x2: 100, y2: 200.25 } },
              },
            },
          },
        },
      },
    });
    const back = await prisma.dataset.findUniqueOrThrow({
      where: { name: "vg150-sample" },
      include: { splits: { include: { images: { include: { objects: true } } } } },
    });
    expect(back.id).toBe(dataset.id);
    expect(back.attribution).toBe("");
    expect(back.createdAt).toBeInstanceOf(Date);
    const split = back.splits[0]!;
    expect(split).toMatchObject({ name: "val", status: "ingesting", imageCount: 0 });
    const image = split.images[0]!;
    expect(image).toMatchObject({ imageKey: "1", width: 640, height: 480, storageKey: null });
    expect(image.objects).toEqual([
      expect.objectContaining({ imageId: image.id, idx: 0, label: "person.1", classId: 3, x1: 1.5, y1: 2, x2: 100, y2: 200.25 }),
    ]);
  });

  it("enforces the unique constraints", async () => {
    const prisma = db.prisma;
    const dataset = await prisma.dataset.findUniqueOrThrow({ where: { name: "vg150-sample" }, include: { splits: { include: { images: true } } } });
    const split = dataset.splits[0]!;
    const duplicate = (run: () => Promise<unknown>) =>
      run().then(
        () => {
          throw new Error("expected a unique-constraint violation");
        },
        (error: unknown) => {
          expect(error).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
          expect((error as Prisma.PrismaClientKnownRequestError).code).toBe("P2002");
        },
      );
    await duplicate(() => prisma.dataset.create({ data: { name: "vg150-sample", format: "x", datasetType: "psg", source: "x" } }));
    await duplicate(() => prisma.split.create({ data: { datasetId: dataset.id, name: "val", fingerprint: "f2" } }));
    await duplicate(() =>
      prisma.image.create({ data: { splitId: split.id, imageKey: "1", width: 1, height: 1, objectCount: 0, relationCount: 0 } }),
    );
    // The same image key in another split, and the same split name in another dataset, are fine.
    const other = await prisma.dataset.create({ data: { name: "other", format: "x", datasetType: "psg", source: "x", splits: { create: { name: "val", fingerprint: "f" } } }, include: { splits: true } });
    await prisma.image.create({ data: { splitId: other.splits[0]!.id, imageKey: "1", width: 1, height: 1, objectCount: 0, relationCount: 0 } });
  });

  it("deleting a dataset cascades to its splits, images and objects", async () => {
    const prisma = db.prisma;
    await prisma.dataset.delete({ where: { name: "vg150-sample" } });
    expect(await prisma.gtObject.count()).toBe(0);
    expect(await prisma.image.count()).toBe(1); // the "other" dataset's image
  });

  it("getPrisma returns one client per URL", () => {
    expect(getPrisma(db.url)).toBe(db.prisma);
  });
});

describe("test databases", () => {
  it("each is a separate database and drop() removes it", async () => {
    const second = await createTestDatabase();
    expect(second.name).not.toBe(db.name);
    expect(await second.prisma.dataset.count()).toBe(0);
    await second.drop();
    await second.drop(); // idempotent
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [second.name]);
      expect(rowCount).toBe(0);
    } finally {
      await admin.end();
    }
  });

  it("falls back to an embedded server when the configured one does not answer", { timeout: 60_000 }, async () => {
    const warnings: string[] = [];
    const server = await resolveTestServer({ TEST_DATABASE_URL: "postgresql://postgres@127.0.0.1:1/postgres" }, (m) => warnings.push(m));
    try {
      expect(server.kind).toBe("embedded");
      expect(warnings.join()).toMatch(/127\.0\.0\.1:1\/postgres does not answer \(TEST_DATABASE_URL\)/);
      const client = new pg.Client({ connectionString: server.adminUrl });
      await client.connect();
      const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      await client.end();
      expect(rows[0]!.v).toMatch(/^\d+/);
    } finally {
      await server.stop();
    }
  });
});
