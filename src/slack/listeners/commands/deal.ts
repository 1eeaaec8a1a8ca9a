import type { App, RespondFn } from '@slack/bolt';
import { fill } from '../../../content/load.js';
import { dealHistory } from '../../../db/repositories/assessments.js';
import { closeDeal, closestDealNames, findDealByName, listOpenDeals, type Owner } from '../../../db/repositories/deals.js';
import { openAssessment } from '../../assessment-flow.js';
import type { AppDeps, Reader } from '../../deps.js';
import { parseDealCommand, type DealCommand } from '../../parse/command.js';
import type { AnyBlock } from '../../views/blocks.js';
import { dealListBlocks, helpBlocks, historyBlocks } from '../../views/deals.js';

interface Reply {
  text: string;
  blocks?: AnyBlock[];
}

const MESSAGE_BLOCKS = 50;

async function notFound(deps: AppDeps, { c }: Reader, owner: Owner, name: string): Promise<Reply> {
  const names = await closestDealNames(deps.db, owner, name);
  const e = c.messages.errors;
  const text = names.length ? fill(e.not_found_suggest, { name, names: names.map((n) => `*${n}*`).join(', ') }) : fill(e.not_found, { name });
  return { text };
}

/** Answers the read-and-close subcommands; the message goes back in the acknowledgement itself. */
async function answer(deps: AppDeps, reader: Reader, owner: Owner, cmd: Exclude<DealCommand, { kind: 'assess' }>): Promise<Reply> {
  const { c, f } = reader;
  switch (cmd.kind) {
    case 'help':
    case 'unknown':
      return { text: c.messages.help.body, blocks: helpBlocks(c) };
    case 'list': {
      const blocks = dealListBlocks(c, f, await listOpenDeals(deps.db, owner));
      return { text: c.messages.list.title.replace(/\*/g, ''), blocks };
    }
    case 'show': {
      if (!cmd.name) return { text: c.messages.errors.usage_show };
      const deal = await findDealByName(deps.db, owner, cmd.name);
      if (!deal) return notFound(deps, reader, owner, cmd.name);
      const blocks = historyBlocks(c, f, deal, await dealHistory(deps.db, deal.id), MESSAGE_BLOCKS);
      return { text: deal.name, blocks };
    }
    case 'close': {
      if (!cmd.name || !cmd.status) return { text: c.messages.errors.usage_close };
      const deal = await findDealByName(deps.db, owner, cmd.name);
      if (!deal) return notFound(deps, reader, owner, cmd.name);
      if (deal.status !== 'open') return { text: fill(c.messages.close.already_closed, { deal: deal.name }) };
      await closeDeal(deps.db, deal.id, cmd.status, cmd.reason, deps.now());
      return { text: fill(c.messages.close.done, { deal: deal.name, status: c.messages.show[`status_${cmd.status}`] }) };
    }
  }
}

export function register(app: App, deps: AppDeps): void {
  app.command('/deal', async ({ command, ack, respond, logger }) => {
    const owner: Owner = { teamId: command.team_id, userId: command.user_id };
    const cmd = parseDealCommand(command.text ?? '');
    if (cmd.kind === 'assess') {
      // Acknowledge first: the modal must open inside the trigger's 3 seconds.
      await ack();
      const tell = (text: string) => respond({ response_type: 'ephemeral', text });
      await openAssessment(deps, { triggerId: command.trigger_id, owner, typedName: cmd.name }, tell).catch((err) => failed(deps, owner, respond, err, logger));
      return;
    }
    let reply: Reply;
    try {
      reply = await answer(deps, await deps.readerFor(owner.teamId, owner.userId), owner, cmd);
    } catch (err) {
      logger.error('/deal failed', err);
      reply = { text: (await deps.readerFor(owner.teamId, owner.userId)).c.messages.errors.generic };
    }
    await ack({ response_type: 'ephemeral', text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}) });
  });
}

async function failed(deps: AppDeps, owner: Owner, respond: RespondFn, err: unknown, logger: { error: (...a: unknown[]) => void }) {
  logger.error('/deal assess failed', err);
  const { c } = await deps.readerFor(owner.teamId, owner.userId);
  await respond({ response_type: 'ephemeral', text: c.messages.errors.generic }).catch(() => undefined);
}

