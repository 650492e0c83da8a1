/** Reads number inputs for the API: blank or not-a-number becomes null, so the server names the rule. */
export function numberOrNull(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : null;
}

/** For optional fields: blank means "leave it out". */
export function optionalNumber(text: string): number | null | undefined {
  return text.trim() === '' ? undefined : numberOrNull(text);
}
