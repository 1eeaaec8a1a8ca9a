/** Renders Block Kit as plain text for the terminal, so a demo reads like the conversation in Slack. */
export function renderBlocks(blocks: any[]): string {
  const lines: string[] = [];
  for (const b of blocks ?? []) {
    switch (b.type) {
      case 'header':
        lines.push(`== ${b.text.text} ==`);
        break;
      case 'section':
        lines.push(b.text.text);
        break;
      case 'context':
        lines.push(b.elements.map((e: any) => e.text).join(' '));
        break;
      case 'divider':
        lines.push('---');
        break;
      case 'actions':
        lines.push(b.elements.map((e: any) => `[${e.text.text}]`).join(' '));
        break;
      case 'input': {
        const el = b.element;
        const options = el.options ? `: ${el.options.map((o: any) => (o.value === el.initial_option?.value ? `(•) ${o.text.text}` : `( ) ${o.text.text}`)).join('  ')}` : '';
        const initial = el.initial_value ? ` = ${el.initial_value}` : '';
        lines.push(`> ${b.label.text}${b.optional ? ' (optional)' : ''}${initial}${options}`);
        break;
      }
    }
  }
  return lines.join('\n');
}

export function renderView(view: any): string {
  const title = `+-- ${view.title?.text ?? ''} --+`;
  const buttons = [view.close?.text, view.submit?.text].filter(Boolean).map((t: string) => `[${t}]`).join(' ');
  return [title, renderBlocks(view.blocks), buttons].filter(Boolean).join('\n');
}
