import proxyAddr from "proxy-addr";
import { z } from "zod";

/** Which hops of X-Forwarded-For are our own proxies: (address of the hop, its index from us) → trusted. */
export type TrustProxy = (address: string, hop: number) => boolean;

const trustNoProxy: TrustProxy = () => false;

/**
 * TRUST_PROXY: unset trusts no proxy header (the socket's peer is the client); a number trusts that
 * many hops; a comma list trusts those proxy addresses/CIDRs (or loopback, linklocal, uniquelocal).
 * Compiled once with proxy-addr, the same library Express uses, so every app applies one rule.
 */
export const trustProxy = z
  .string()
  .optional()
  .transform((value, ctx): TrustProxy => {
    const setting = value?.trim();
    if (!setting || setting === "0" || setting === "false") return trustNoProxy;
    if (/^\d+$/.test(setting)) {
      const hops = Number(setting);
      return (_address, hop) => hop < hops;
    }
    try {
      return proxyAddr.compile(setting.split(",").map((item) => item.trim()));
    } catch (error) {
      ctx.addIssue({
        code: "custom",
        message: `${(error as Error).message}: set a hop count (1 behind one load balancer) or the proxies' addresses/CIDRs, comma separated`,
      });
      return z.NEVER;
    }
  });
