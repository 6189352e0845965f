import { expect, it } from "vitest";
import { DurationInput } from "../src/recording/duration-input.ts";

it("holds the copy while music-metadata has a chunk to read, and lets it go on once it stopped reading", async () => {
  const input = new DurationInput();
  const passed: string[] = [];
  const reader = input.stream.getReader();
  input.write(Buffer.from("a"), () => passed.push("a"));
  expect(passed).toEqual([]); // one chunk waits unread: the copy waits with it
  expect(Buffer.from((await reader.read()).value ?? []).toString()).toBe("a");
  expect(passed).toEqual(["a"]);
  input.write(Buffer.from("b"), () => passed.push("b"));
  await reader.cancel(); // what music-metadata does when it has its duration, or gives up
  expect(passed).toEqual(["a", "b"]);
  input.write(Buffer.from("c"), () => passed.push("c"));
  expect(passed).toEqual(["a", "b", "c"]);
});
