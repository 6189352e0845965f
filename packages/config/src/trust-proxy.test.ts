import { describe, expect, it } from "vitest";
import { ingesterEnv } from "./apps.ts";
import { httpServerSettings } from "./http-server.ts";
import { EnvError, parseEnv } from "./parse-env.ts";

const trustFrom = (value?: string) => parseEnv(ingesterEnv, value === undefined ? {} : { TRUST_PROXY: value }).TRUST_PROXY;

describe("TRUST_PROXY", () => {
  it("unset, empty or 0 believes no proxy hop", () => {
    for (const trust of [trustFrom(), trustFrom(""), trustFrom("0")]) {
      expect(trust("127.0.0.1", 0)).toBe(false);
      expect(trust("10.0.0.1", 0)).toBe(false);
    }
  });

  it("a hop count believes exactly that many hops, whatever their address", () => {
    const trust = trustFrom("2");
    expect([trust("8.8.8.8", 0), trust("8.8.8.8", 1), trust("10.0.0.1", 2)]).toEqual([true, true, false]);
  });

  it("a list believes only hops from those addresses, CIDRs or named ranges", () => {
    const trust = trustFrom("10.0.0.0/8, 192.168.1.5, loopback");
    expect([trust("10.20.30.40", 0), trust("192.168.1.5", 0), trust("::1", 0), trust("192.168.1.6", 0)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it("an unreadable value stops the app, saying what to set", () => {
    expect(() => trustFrom("my-load-balancer")).toThrow(EnvError);
    expect(() => trustFrom("10.0.0.0/99")).toThrow(/TRUST_PROXY: .*hop count .* addresses\/CIDRs/);
  });
});

describe("HTTP server settings", () => {
  it("turn seconds into node:http options, never a headers timeout above the request timeout", () => {
    const env = parseEnv(ingesterEnv, { HTTP_HEADERS_TIMEOUT: "20", HTTP_REQUEST_TIMEOUT: "5", HTTP_MAX_CONNECTIONS: "7" });
    const settings = httpServerSettings(env);
    expect(settings.options).toMatchObject({ headersTimeout: 20_000, requestTimeout: 20_000, keepAliveTimeout: 65_000 });
    expect(settings.maxConnections).toBe(7);
  });
});
