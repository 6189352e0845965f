export { startTestDashboard, TEST_AUTHORIZATION, TEST_LOGIN, type TestDashboard } from "./dashboard.ts";
export { metricValue } from "./metrics.ts";
export {
  type AppProcess,
  type ProcessStack,
  type ProcessStackOptions,
  startDashboardProcess,
  startIngesterProcess,
  startProcessStack,
  startWorkerProcess,
} from "./process-stack.ts";
export { type Stack, type StackOptions, startStack } from "./stack.ts";
export { stackTest } from "./stack-test.ts";
