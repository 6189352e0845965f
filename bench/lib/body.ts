/**
 * A realistic END webhook: the seed's fields plus what Anura typically adds (ids, queue, billing,
 * hangup details, custom variables), about 1.2 KB of JSON.
 */
export function endEvent(options: { cdrid: string; recordingUrl?: string }): Record<string, unknown> {
  return {
    hooktrigger: "END",
    hookid: 17,
    hookname: "AuditorIA",
    cdrid: options.cdrid,
    dialtime: "2026-02-10 10:30:00",
    direction: "inbound",
    calling: "+5491167950079",
    called: "+5491126888209",
    status: "ANSWER",
    duration: 120,
    billseconds: 112,
    price: 0.35,
    wasrecorded: options.recordingUrl !== undefined,
    audio_file_mp3: options.recordingUrl ?? "",
    accounttags: "ventas, campaign_1",
    queueagentname: "Agente 300",
    queueagentextension: "300",
    answerextension: "300",
    tenantid: 12,
    accountid: 88,
    queueid: 5,
    queuename: "Ventas Buenos Aires",
    queuewaittime: 8,
    ringtime: 6,
    talktime: 112,
    holdtime: 0,
    hangupcause: "NORMAL_CLEARING",
    hangupby: "caller",
    trunkname: "trunk-telecom-ar-01",
    did: "+5491126888209",
    callerid_name: "CLIENTE POTENCIAL",
    country: "AR",
    ivrpath: "menu-principal>ventas>cola-ventas",
    transfercount: 0,
    recording_format: "mp3",
    customvar1: "lead-source=google-ads",
    customvar2: "crm-contact-id=0031x000004TmEgAAK",
    customvar3: "utm_campaign=verano-2026",
    tags: "nuevo-cliente,plan-hogar,prioridad-alta",
    notes: "Cliente consulta por el plan hogar 300 MB y la promoción de instalación sin cargo.",
    sip_callid: "a84b4c76e66710@pbx-ar-02.anura.com.ar",
    uniqueid: `${options.cdrid}-leg-a`,
  };
}

export function endEventJson(options: { cdrid: string; recordingUrl?: string }): string {
  return JSON.stringify(endEvent(options));
}
