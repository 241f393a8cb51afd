import { expect, test } from "@playwright/test";
import { ADMIN, uniqueAccount } from "./accounts";

// Runs first in a fresh install (files run in name order): the first account signed up here becomes admin.
test("first account is admin; sign out and in; an annotator is refused /runs until the admin promotes them", async ({
  browser,
}) => {
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();

  // Signed out, a researcher page sends you to sign in, and back there afterwards.
  await admin.goto("/runs");
  await expect(admin).toHaveURL(/\/signin\?callbackUrl=%2Fruns$/);
  await admin.getByRole("link", { name: "Create one" }).click();
  await expect(admin).toHaveURL(/\/signup\?callbackUrl=%2Fruns$/);
  await admin.getByLabel("Name").fill(ADMIN.name);
  await admin.getByLabel("Email").fill(ADMIN.email.toUpperCase());
  await admin.getByLabel("Password").fill(ADMIN.password);
  await admin.getByRole("button", { name: "Create account" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Training runs" })).toBeVisible();
  await expect(admin).toHaveURL(/\/runs$/);
  const nav = admin.getByRole("navigation");
  await expect(nav.getByTestId("user-role")).toHaveText("admin");
  await expect(nav.getByText(ADMIN.name)).toBeVisible();
  await expect(nav.getByRole("link", { name: "Admin", exact: true })).toBeVisible();

  // Sign out: back to the public landing page.
  await nav.getByRole("button", { name: "Sign out" }).click();
  await expect(admin.getByRole("link", { name: "Create an account" })).toBeVisible();
  await expect(nav.getByTestId("user-role")).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Runs", exact: true })).toHaveCount(0);

  // Sign in: a wrong password and an unknown email get the same answer; the right one signs in.
  await nav.getByRole("link", { name: "Sign in" }).click();
  for (const [email, password] of [
    [ADMIN.email, "not-the-password"],
    ["nobody@faceloop.test", ADMIN.password],
  ]) {
    await admin.getByLabel("Email").fill(email);
    await admin.getByLabel("Password").fill(password);
    await admin.getByRole("button", { name: "Sign in" }).click();
    await expect(admin.getByRole("main").getByRole("alert")).toHaveText("Wrong email or password.");
  }
  await admin.getByLabel("Email").fill(ADMIN.email);
  await admin.getByLabel("Password").fill(ADMIN.password);
  await admin.getByRole("button", { name: "Sign in" }).click();
  await expect(nav.getByTestId("user-role")).toHaveText("admin");
  await expect(nav.getByRole("link", { name: "Runs", exact: true })).toBeVisible();

  // A second person signs up: an annotator, who sees no researcher or admin links ...
  const person = { ...uniqueAccount("annotator"), name: "Ann Otator" };
  const annotatorContext = await browser.newContext();
  const annotator = await annotatorContext.newPage();
  await annotator.goto("/signup");
  await annotator.getByLabel("Name").fill(person.name);
  await annotator.getByLabel("Email").fill(person.email);
  await annotator.getByLabel("Password").fill(person.password);
  await annotator.getByRole("button", { name: "Create account" }).click();
  const annotatorNav = annotator.getByRole("navigation");
  await expect(annotatorNav.getByTestId("user-role")).toHaveText("annotator");
  await expect(annotatorNav.getByRole("link", { name: "Label", exact: true })).toBeVisible();
  await expect(annotatorNav.getByRole("link", { name: "Runs", exact: true })).toHaveCount(0);
  await expect(annotatorNav.getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);

  // ... and is refused the researcher page with a page that says why.
  await annotator.goto("/runs");
  await expect(annotator.getByRole("heading", { level: 1, name: "403 · Not allowed" })).toBeVisible();
  await expect(annotator.getByText("This page needs the researcher role.")).toBeVisible();
  await expect(annotator.getByText(`You are signed in as ${person.email} with the annotator role.`)).toBeVisible();
  await expect(annotator.getByRole("heading", { name: "Training runs" })).toHaveCount(0);
  await annotator.goto("/admin");
  await expect(annotator.getByText("This page needs the admin role.")).toBeVisible();

  // The admin promotes them, and cannot demote themselves while they are the only admin.
  await admin.goto("/admin");
  await admin.getByLabel(`Role of ${person.email}`).selectOption("researcher");
  await expect(admin.getByRole("main").getByRole("status")).toHaveText("Saved");
  const own = admin.getByLabel(`Role of ${ADMIN.email}`);
  await own.selectOption("annotator");
  await expect(admin.getByRole("main").getByRole("alert")).toContainText("cannot demote the last admin");
  await expect(own).toHaveValue("admin");

  // The promotion counts at once, without signing in again.
  await annotator.goto("/runs");
  await expect(annotator.getByRole("heading", { level: 1, name: "Training runs" })).toBeVisible();
  await expect(annotatorNav.getByTestId("user-role")).toHaveText("researcher");
  await expect(annotatorNav.getByRole("link", { name: "Runs", exact: true })).toBeVisible();

  await adminContext.close();
  await annotatorContext.close();
});
