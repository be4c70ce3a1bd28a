/**
 * Registry commands deliberately without a tool of the same name, each with the reason
 * (checked by test/mcp/tools.test.ts).
 *
 * @module
 */
export const UNEXPOSED: Record<string, string> = {
  upcoming_calendar_entries:
    'its calendar_data is an opaque phone-app payload a model cannot produce meaningfully (the proxy route signs it).',
};
