/**
 * Signs the suite in once: makes sure the e2e user exists in the server's database (DATABASE_URL,
 * exported by scripts/e2e.sh) with a fresh random password, signs in through the real /login page in
 * chromium, and saves the cookies to test-results/e2e/auth.json, which every test starts from unless
 * it opts out. The password reaches the specs as E2E_PASSWORD (workers inherit this environment).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { chromium, type FullConfig } from "@playwright/test";

export const E2E_USERNAME = "e2e-admin";
export const AUTH_STATE = "test-results/e2e/auth.json";

function sgg(args: string[], input: string): { ok: true } | { ok: false; stderr: string } {
  try {
    execFileSync(path.resolve("bin/sgg"), args, { input, stdio: ["pipe", "ignore", "pipe"], encoding: "utf8" });
    return { ok: true };
  } catch (e) {
    return { ok: false, stderr: String((e as { stderr?: string }).stderr ?? e) };
  }
}

export default async function globalSetup(config: FullConfig): Promise<void> {
  const password = randomBytes(18).toString("base64url");
  const added = sgg(["user", "add", E2E_USERNAME, "--admin", "--password-stdin"], password);
  // A reused database (E2E_BASE_URL against a running server) keeps the user: give it this run's password.
  if (!added.ok) {
    if (!added.stderr.includes("already exists")) throw new Error(`e2e: could not create the e2e user: ${added.stderr}`);
    const changed = sgg(["user", "passwd", E2E_USERNAME, "--password-stdin"], password);
    if (!changed.ok) throw new Error(`e2e: could not set the e2e user's password: ${changed.stderr}`);
  }
  process.env.E2E_USERNAME = E2E_USERNAME;
  process.env.E2E_PASSWORD = password;

  const use = config.projects[0]?.use ?? {};
  const browser = await chromium.launch(use.launchOptions);
  try {
    const page = await browser.newPage({ baseURL: use.baseURL });
    await page.goto("/login");
    await page.getByLabel("Username").fill(E2E_USERNAME);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByTestId("user-menu").getByText(E2E_USERNAME).waitFor();
    await page.context().storageState({ path: AUTH_STATE });
  } finally {
    await browser.close();
  }
}
