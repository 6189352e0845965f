import { describe, expect, it } from "vitest";
import { cdrEventIdFor, taskIdFor } from "../src/ids.ts";

// Computed once from the cdrid as a string and the namespace as text: a call's task and CDR event ids
// can never change, or a redelivered event would make a second task and a recovered call a second END.
describe("a call's ids stay what they have always been", () => {
  it.each([
    ["1700000001.4521", "0189262c-dcb2-5817-856c-c05aa6878655", "0bf0c0e3-c426-53ce-b202-fec0736b0b59"],
    ["llamada-ñandú-42", "df449fb8-b596-58b3-a797-c4f7c463847d", "1e253037-8a40-5da1-86d6-13574aec2a38"],
    ["x", "cd8de85b-f04d-5cda-8bb0-538bd3594b4b", "712166a4-30be-5da7-ab7e-c6cd92398f5a"],
  ])("cdrid %s", (cdrid, taskId, cdrEventId) => {
    expect(taskIdFor(cdrid)).toBe(taskId);
    expect(cdrEventIdFor(cdrid)).toBe(cdrEventId);
  });
});
