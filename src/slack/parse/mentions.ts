/** User mentions as Slack sends them with should_escape on: `<@U123>` or `<@U123|name>`. */
const MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;

export function mentionedUsers(text: string): string[] {
  return [...new Set([...text.matchAll(MENTION)].map((m) => m[1]!))];
}
