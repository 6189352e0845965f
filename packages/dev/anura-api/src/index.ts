export { type AnuraStandIn, type AnuraStandInOptions, type Fault, type StandInCdr, startAnuraStandIn } from "./server.ts";
