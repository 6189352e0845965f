import { dashboardSettings, parseEnv } from "@anura/config";
import { startDashboard } from "@anura/dashboard-app";
import { createLogger, type Logger } from "@anura/logger";

/** The login of every dashboard a test starts in process. */
export const TEST_LOGIN = { username: "ops", password: "correct-horse" };
/** The same login as an Authorization header, for plain fetch. */
export const TEST_AUTHORIZATION = `Basic ${Buffer.from(`${TEST_LOGIN.username}:${TEST_LOGIN.password}`).toString("base64")}`;

export type TestDashboard = Awaited<ReturnType<typeof startDashboard>> & { base: string };

/** A dashboard in this process on a free loopback port, behind TEST_LOGIN, on the services `env` names. */
export async function startTestDashboard(
  env: Record<string, string | undefined>,
  overrides: Record<string, string> = {},
  log: Logger = createLogger({ name: "dashboard", level: "silent" }),
): Promise<TestDashboard> {
  const settings = parseEnv(dashboardSettings, {
    ...env,
    DASHBOARD_PORT: "0",
    HOST: "127.0.0.1",
    DASHBOARD_USER: TEST_LOGIN.username,
    DASHBOARD_PASSWORD: TEST_LOGIN.password,
    ...overrides,
  });
  const dashboard = await startDashboard(settings, log);
  return Object.assign(dashboard, { base: `http://127.0.0.1:${dashboard.port}` });
}
