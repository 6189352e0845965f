/**
 * Anura substitutes `{{ var }}` as plain text, so an empty unquoted variable renders `"duration": ,`
 * or `"price": }`. Insert `null` where a value is missing after a colon — outside strings only.
 */
export function repairTemplateJson(text: string): string {
  let out = "";
  let inString = false;
  let awaitingValue = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (inString) {
      out += char;
      if (char === "\\") out += text[++i] ?? "";
      else if (char === '"') inString = false;
      continue;
    }
    if (awaitingValue && (char === "," || char === "}")) out += "null";
    if (!/\s/.test(char)) awaitingValue = char === ":";
    if (char === '"') inString = true;
    out += char;
  }
  return out;
}
