import { CliError } from "../errors.ts";

/** Fails with what to do when nothing answers at the ingester's URL or it cannot take events now. */
export async function checkIngester(baseUrl: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/webhook/anura/health`, { signal: AbortSignal.timeout(5000) });
  } catch {
    throw new CliError(
      `nothing answers at ${baseUrl}: start the system with \`./run.sh start\`, or pass --url <ingester base URL>`,
    );
  }
  if (response.status === 503) {
    throw new CliError(`the ingester at ${baseUrl} cannot queue events right now (health 503): is Redis running?`);
  }
  if (!response.ok) throw new CliError(`${baseUrl}/webhook/anura/health answered ${response.status}: is --url the ingester?`);
}

/** POST one event as Anura does; anything but 202 stops the simulation with the ingester's reason. */
export async function postWebhook(
  baseUrl: string,
  apiKey: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}/webhook/anura/`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": apiKey },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== 202) {
    const hint = response.status === 403 ? " (is --api-key a key of this system's database?)" : "";
    throw new CliError(`the ingester refused ${body.hooktrigger} with ${response.status}${hint}: ${text.slice(0, 500)}`);
  }
  return JSON.parse(text) as Record<string, unknown>;
}

/** The sample-recording server runs only under `./run.sh start` in development: say so if it is not there. */
export async function checkSampleRecordings(baseUrl: string): Promise<void> {
  const healthy = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(3000) }).then(
    (response) => response.ok,
    () => false,
  );
  if (!healthy) {
    throw new CliError(
      `no sample-recording server at ${baseUrl}: it runs with \`./run.sh start\` in development (DEV_RECORDINGS_PORT); ` +
        "or pass --recording-url <an MP3 the worker may fetch>, or --no-recording",
    );
  }
}
