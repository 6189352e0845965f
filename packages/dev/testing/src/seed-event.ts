/** The seed's curl example (ANURA_INTEGRATION.md), with the recording URL pointed at the local host. */
export function seedEndEvent(recordingUrl: string, overrides: Record<string, unknown> = {}) {
  return {
    hooktrigger: "END",
    cdrid: "1234567890",
    dialtime: "2026-02-10 10:30:00",
    calling: "+5491167950079",
    called: "+5491126888209",
    direction: "inbound",
    duration: 120,
    wasrecorded: true,
    audio_file_mp3: recordingUrl,
    accounttags: "campaign_1",
    queueagentextension: "300",
    ...overrides,
  };
}
