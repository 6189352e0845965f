// `node bench/profile.ts <file.cpuprofile>...`: the summary `pnpm bench` prints under BENCH_PROFILE.
import { summariseProfile } from "./lib/profile.ts";

for (const file of process.argv.slice(2)) console.log(summariseProfile(file).join("\n"));
