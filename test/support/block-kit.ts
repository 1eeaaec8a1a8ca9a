/** Slack's Block Kit limits that our views depend on (https://api.slack.com/reference/block-kit). */
export const SLACK = {
  messageBlocks: 50,
  /** All the text of a message sent with chat.postMessage: past about 12,000 characters Slack answers msg_blocks_too_long. */
  postedText: 12_000,
  viewBlocks: 100,
  viewText: 40_000,
  sectionText: 3000,
  contextText: 3000,
  headerText: 150,
  buttonText: 75,
  optionText: 75,
  selectOptions: 100,
  inputLabel: 2000,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  blockId: 255,
  actionId: 255,
  buttonValue: 2000,
  actionsElements: 25,
} as const;

/** The characters of text in some blocks: what Slack counts against a posted message's total. */
export function blockText(blocks: any[]): number {
  let total = 0;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'text' && typeof v === 'string') total += v.length;
      else walk(v);
    }
  };
  walk(blocks);
  return total;
}

/**
 * Every way a message or view breaks Slack's limits; empty when it is valid. A 'post' is a message sent with
 * chat.postMessage, which also caps its text in all.
 */
export function blockKitProblems(surface: 'message' | 'post' | 'modal' | 'home', payload: { blocks?: any[]; title?: any; submit?: any; close?: any; private_metadata?: string }): string[] {
  const problems: string[] = [];
  const blocks = payload.blocks ?? [];
  const isMessage = surface === 'message' || surface === 'post';
  if (isMessage && blockText(blocks) > SLACK.postedText) problems.push(`${blockText(blocks)} characters of text > ${SLACK.postedText}`);
  // Slack documents no total for a view; it refuses one too large (view_too_large). The 40,000 it allows a message's text is held to.
  if (!isMessage && blockText(blocks) > SLACK.viewText) problems.push(`${blockText(blocks)} characters of text > ${SLACK.viewText}`);
  const max = isMessage ? SLACK.messageBlocks : SLACK.viewBlocks;
  if (blocks.length > max) problems.push(`${blocks.length} blocks > ${max}`);
  if (surface === 'modal') {
    if (!payload.title || payload.title.text.length > SLACK.modalTitle) problems.push(`modal title "${payload.title?.text}" over ${SLACK.modalTitle}`);
    for (const b of [payload.submit, payload.close]) if (b && b.text.length > SLACK.modalButton) problems.push(`modal button "${b.text}" over ${SLACK.modalButton}`);
    if ((payload.private_metadata ?? '').length > SLACK.privateMetadata) problems.push(`private_metadata ${payload.private_metadata!.length} > ${SLACK.privateMetadata}`);
  }
  const nonEmpty = (t: string | undefined, where: string) => {
    if (!t || t.trim() === '') problems.push(`${where}: empty text`);
  };
  blocks.forEach((b, i) => {
    const at = `block ${i} (${b.type})`;
    if (b.block_id && b.block_id.length > SLACK.blockId) problems.push(`${at}: block_id too long`);
    switch (b.type) {
      case 'section':
        nonEmpty(b.text?.text, at);
        if (b.text?.text.length > SLACK.sectionText) problems.push(`${at}: text ${b.text.text.length} > ${SLACK.sectionText}`);
        break;
      case 'header':
        nonEmpty(b.text?.text, at);
        if (b.text.text.length > SLACK.headerText) problems.push(`${at}: header ${b.text.text.length} > ${SLACK.headerText}`);
        break;
      case 'context':
        for (const e of b.elements) if (e.text.length > SLACK.contextText) problems.push(`${at}: context text too long`);
        break;
      case 'actions':
        if (b.elements.length > SLACK.actionsElements) problems.push(`${at}: too many elements`);
        for (const e of b.elements) {
          if (e.text.text.length > SLACK.buttonText) problems.push(`${at}: button "${e.text.text}" > ${SLACK.buttonText}`);
          if ((e.value ?? '').length > SLACK.buttonValue) problems.push(`${at}: button value too long`);
        }
        break;
      case 'input': {
        if (isMessage) problems.push(`${at}: input blocks belong in views`);
        if (b.label.text.length > SLACK.inputLabel) problems.push(`${at}: label too long`);
        const options = b.element.options ?? [];
        if (options.length > SLACK.selectOptions) problems.push(`${at}: ${options.length} options > ${SLACK.selectOptions}`);
        if (b.element.type === 'radio_buttons' && options.length > 10) problems.push(`${at}: radio buttons take at most 10 options`);
        for (const o of options) if (o.text.text.length > SLACK.optionText) problems.push(`${at}: option "${o.text.text}" > ${SLACK.optionText}`);
        break;
      }
    }
  });
  return problems;
}
