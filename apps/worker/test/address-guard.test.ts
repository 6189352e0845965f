import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import { AddressGuard } from "../src/recording/address-guard.ts";
import { RecordingRejected } from "../src/recording/errors.ts";

const open = new AddressGuard(undefined);

function refusal(guard: AddressGuard, url: string): string {
  try {
    guard.checkUrl(url);
  } catch (error) {
    expect(error).toBeInstanceOf(RecordingRejected);
    return (error as Error).message;
  }
  throw new Error(`${url} was allowed`);
}

function resolve(guard: AddressGuard, hostname: string, all: boolean): Promise<LookupAddress[] | string> {
  return new Promise((done, fail) => {
    guard.lookup(hostname, { all }, (error, address, _family) => {
      if (error) fail(error);
      else done(address);
    });
  });
}

describe("without an allow-list only public addresses may be fetched", () => {
  it.each([
    ["loopback", "http://127.0.0.1/r.mp3"],
    ["loopback", "http://127.8.9.10:8080/r.mp3"],
    ["private", "http://10.0.0.5/r.mp3"],
    ["private", "http://172.16.3.4/r.mp3"],
    ["private", "https://192.168.1.10/r.mp3"],
    ["linkLocal", "http://169.254.169.254/latest/meta-data/"],
    ["carrierGradeNat", "http://100.64.0.1/r.mp3"],
    ["carrierGradeNat", "http://100.127.255.254/r.mp3"],
    ["unspecified", "http://0.0.0.0/r.mp3"],
    ["broadcast", "http://255.255.255.255/r.mp3"],
    ["multicast", "http://224.0.0.1/r.mp3"],
    ["loopback", "http://[::1]/r.mp3"],
    ["unspecified", "http://[::]/r.mp3"],
    ["uniqueLocal", "http://[fd12:3456::1]/r.mp3"],
    ["uniqueLocal", "http://[fc00::1]/r.mp3"],
    ["linkLocal", "http://[fe80::1]/r.mp3"],
  ])("refuses a %s address (%s)", (range, url) => {
    expect(refusal(open, url)).toContain(`address is ${range}, not public`);
  });

  it.each([
    ["IPv4-mapped loopback", "http://[::ffff:127.0.0.1]/r.mp3", "loopback"],
    ["IPv4-mapped metadata address, hex form", "http://[::ffff:a9fe:a9fe]/r.mp3", "linkLocal"],
    ["IPv4-mapped private", "http://[::ffff:10.1.2.3]/r.mp3", "private"],
    ["IPv4-compatible loopback", "http://[::127.0.0.1]/r.mp3", "ipv4Compatible"],
    ["NAT64 of loopback", "http://[64:ff9b::7f00:1]/r.mp3", "rfc6052"],
    ["decimal loopback", "http://2130706433/r.mp3", "loopback"],
    ["hex/short loopback", "http://0x7f.1/r.mp3", "loopback"],
    ["octal loopback", "http://0177.0.0.1/r.mp3", "loopback"],
    ["trailing-dot loopback", "http://127.0.0.1./r.mp3", "loopback"],
  ])("sees through %s", (_label, url, range) => {
    expect(refusal(open, url)).toContain(`address is ${range}`);
  });

  it("allows public addresses and hostnames (the resolved address is checked at connect time)", () => {
    expect(open.checkUrl("https://8.8.8.8/r.mp3").hostname).toBe("8.8.8.8");
    expect(open.checkUrl("http://[2001:4860:4860::8888]/r.mp3").hostname).toBe("[2001:4860:4860::8888]");
    expect(open.checkUrl("https://grabaciones.anura.com.ar/x.mp3?token=1").hostname).toBe("grabaciones.anura.com.ar");
  });

  it("refuses a hostname whose DNS answer is private, whichever lookup form the client asks for", async () => {
    await expect(resolve(open, "localhost", true)).rejects.toThrow(/address is loopback, not public/);
    await expect(resolve(open, "localhost", false)).rejects.toBeInstanceOf(RecordingRejected);
  });

  it("refuses a URL that is not a URL, and says so", () => {
    expect(refusal(open, "not a url")).toBe("recording URL is not a valid URL");
  });
});

describe("only http and https", () => {
  it.each([
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_INFO",
    "ftp://example.com/r.mp3",
    "data:audio/mpeg;base64,AAAA",
    "javascript:alert(1)",
  ])("refuses %s", (url) => {
    expect(refusal(open, url)).toMatch(/scheme \w+: is not allowed: only http and https/);
  });

  it("refuses other schemes even for an allow-listed host", () => {
    expect(refusal(new AddressGuard(["127.0.0.1"]), "gopher://127.0.0.1/x")).toContain("scheme gopher:");
  });
});

describe("RECORDING_ALLOWED_HOSTS narrows the hosts and is the only way to a private address", () => {
  it("a wildcard matches exactly one label", () => {
    const guard = new AddressGuard(["*.anura.com.ar"]);
    expect(guard.checkUrl("https://rec1.anura.com.ar/a.mp3").hostname).toBe("rec1.anura.com.ar");
    expect(refusal(guard, "https://anura.com.ar/a.mp3")).toContain("is not in RECORDING_ALLOWED_HOSTS");
    expect(refusal(guard, "https://a.b.anura.com.ar/a.mp3")).toContain("is not in RECORDING_ALLOWED_HOSTS");
    expect(refusal(guard, "https://rec1.anura.com.ar.evil.example/a.mp3")).toContain("not in RECORDING_ALLOWED_HOSTS");
    expect(refusal(guard, "https://evilanura.com.ar/a.mp3")).toContain("not in RECORDING_ALLOWED_HOSTS");
  });

  it("matches hosts case-insensitively and treats dots literally", () => {
    const guard = new AddressGuard(["Rec.Anura.com.ar"]);
    expect(guard.checkUrl("https://REC.anura.COM.ar/a.mp3")).toBeTruthy();
    expect(refusal(guard, "https://recXanura.com.ar/a.mp3")).toContain("not in RECORDING_ALLOWED_HOSTS");
  });

  it("a host:port entry allows that port only; the default port counts", () => {
    const guard = new AddressGuard(["10.0.0.5:8080", "rec.example:443"]);
    expect(guard.checkUrl("http://10.0.0.5:8080/a.mp3")).toBeTruthy();
    expect(refusal(guard, "http://10.0.0.5:8081/a.mp3")).toContain("10.0.0.5:8081 is not in RECORDING_ALLOWED_HOSTS");
    expect(refusal(guard, "http://10.0.0.5/a.mp3")).toContain("10.0.0.5:80 is not");
    expect(guard.checkUrl("https://rec.example/a.mp3")).toBeTruthy();
    expect(refusal(guard, "http://rec.example/a.mp3")).toContain("rec.example:80 is not");
  });

  it("a host entry without a port allows any port", () => {
    const guard = new AddressGuard(["192.168.1.10"]);
    expect(guard.checkUrl("http://192.168.1.10:9000/a.mp3")).toBeTruthy();
    expect(guard.checkUrl("https://192.168.1.10/a.mp3")).toBeTruthy();
  });

  it("bracketed IPv6 entries, with and without a port", () => {
    const guard = new AddressGuard(["[fd00::5]:8080", "[::1]"]);
    expect(guard.checkUrl("http://[fd00::5]:8080/a.mp3")).toBeTruthy();
    expect(refusal(guard, "http://[fd00::5]:8081/a.mp3")).toContain("not in RECORDING_ALLOWED_HOSTS");
    expect(guard.checkUrl("http://[::1]:1234/a.mp3")).toBeTruthy();
  });

  it("private addresses not listed stay refused, including the metadata address", () => {
    const guard = new AddressGuard(["rec.example"]);
    expect(refusal(guard, "http://169.254.169.254/latest/meta-data/")).toContain(
      "169.254.169.254:80 is not in RECORDING_ALLOWED_HOSTS",
    );
    expect(refusal(guard, "http://127.0.0.1/a.mp3")).toContain("not in RECORDING_ALLOWED_HOSTS");
  });

  it("an allow-listed name may resolve to a private address", async () => {
    const addresses = await resolve(new AddressGuard(["localhost"]), "localhost", true);
    expect((addresses as LookupAddress[]).map((a) => a.address)).toContain("127.0.0.1");
  });
});
