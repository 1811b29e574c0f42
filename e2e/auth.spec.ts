import { expect, test, type Page } from "@playwright/test";

const username = () => process.env.E2E_USERNAME ?? "e2e-admin";
const password = () => {
  const p = process.env.E2E_PASSWORD;
  if (!p) throw new Error("E2E_PASSWORD is set by e2e/global-setup.ts");
  return p;
};

async function signInThroughForm(page: Page, name: string, secret: string) {
  await page.getByLabel("Username").fill(name);
  await page.getByLabel("Password").fill(secret);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a wrong password shows an error and sets no session", async ({ page }) => {
    await page.goto("/login");
    await signInThroughForm(page, username(), "certainly not the password");
    await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("wrong username or password");
    await expect(page).toHaveURL(/\/login$/);
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain("sgg_session");
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  });

  test("sign in through the form, return to the page asked for, then sign out", async ({ page }) => {
    await page.goto("/login?next=%2Fdatasets");
    await signInThroughForm(page, username(), password());
    await expect(page).toHaveURL(/\/datasets$/);
    const menu = page.getByTestId("user-menu");
    await expect(menu).toContainText(username());

    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === "sgg_session");
    const csrf = cookies.find((c) => c.name === "sgg_csrf");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(csrf).toMatchObject({ httpOnly: false, sameSite: "Lax" });
    // Page scripts can read the CSRF token but never the session token.
    const visible = await page.evaluate(() => document.cookie);
    expect(visible).toContain("sgg_csrf=");
    expect(visible).not.toContain("sgg_session");

    await menu.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain("sgg_session");
    const me = (await (await page.request.get("/api/auth/me")).json()) as { user: unknown };
    expect(me.user).toBeNull();
  });

  test("the sign-in page never sends anyone to another site", async ({ page }) => {
    await page.goto(`/login?next=${encodeURIComponent("//evil.example/steal")}`);
    await signInThroughForm(page, username(), password());
    await expect(page.getByTestId("user-menu")).toContainText(username());
    expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL!).host);
    expect(new URL(page.url()).pathname).toBe("/");
  });
});

test.describe("signed in (the suite's stored session)", () => {
  test("the nav shows who is signed in", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("user-menu")).toContainText(username());
  });

  test("a mutating API call without the CSRF header is refused with 403", async ({ page }) => {
    await page.goto("/");
    const answer = await page.evaluate(async () => {
      const r = await fetch("/api/auth/logout", { method: "POST", credentials: "same-origin" });
      return { status: r.status, body: (await r.json()) as { error: string } };
    });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toContain("x-sgg-csrf");
    // Refused means refused: the session is still there.
    const me = (await (await page.request.get("/api/auth/me")).json()) as { user: { username: string } | null };
    expect(me.user?.username).toBe(username());
  });

  test("a mutating call with the right token but from another site is refused with 403", async ({ page }) => {
    await page.goto("/");
    const csrf = (await page.context().cookies()).find((c) => c.name === "sgg_csrf")!.value;
    const response = await page.request.post("/api/auth/logout", { headers: { "x-sgg-csrf": csrf, origin: "https://evil.example" } });
    expect(response.status()).toBe(403);
    expect(((await response.json()) as { error: string }).error).toContain("cross-site");
  });
});
