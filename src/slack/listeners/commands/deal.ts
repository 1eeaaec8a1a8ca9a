import type { App } from '@slack/bolt';
import { fill } from '../../../content/load.js';
import type { LocaleContent } from '../../../content/schema.js';
import { dealHistory } from '../../../db/repositories/assessments.js';
import { closeDeal, closestDealNames, findDealByName, listOpenDeals, type Deal, type DealSummary, type Owner } from '../../../db/repositories/deals.js';
import { enqueue, recentFailures, type PlannedMessage } from '../../../db/repositories/outbox.js';
import { noticesTo } from '../../../jobs/admin-notices.js';
import { addReports, hasPausedTeam, isManagerOf, joinTeams, leaveTeams, managersOf, recordLeaves, removeReports, reportsOf } from '../../../db/repositories/teams.js';
import { openAssessment } from '../../assessment-flow.js';
import type { AppDeps, Reader } from '../../deps.js';
import { parseDealCommand, type CloseReading, type DealCommand } from '../../parse/command.js';
import { ROLE_WAIT_MS, isGuest, recheckDepartures, workspaceRole } from '../../permissions.js';
import { context, escape, prefix, section, type AnyBlock } from '../../views/blocks.js';
import { HISTORY_IN, MAX_REASON, boldNames, dealListBlocks, formatDate, helpBlocks, historyBlocks } from '../../views/deals.js';
import { openSettings } from '../views/settings.js';

interface Reply {
  text: string;
  blocks?: AnyBlock[];
  /** Work that follows the answer (DMs to people), done after the acknowledgement; `tell` answers the caller again. */
  after?: (tell: (text: string) => Promise<unknown>) => Promise<void>;
}

type Answerable = Exclude<DealCommand, { kind: 'assess' } | { kind: 'settings' }>;
const mention = (c: LocaleContent, ids: string[]) => ids.map((id) => `<@${id}>`).join(c.messages.punctuation.list_separator);

/** No deal of that name among the caller's, or among their reports' too (`reports`) where those can be read. */
async function notFound(deps: AppDeps, { c }: Reader, owner: Owner, name: string, reports: string[] = []): Promise<Reply> {
  const names = await closestDealNames(deps.db, owner, name, reports);
  const e = c.messages.errors;
  const [none, suggest] = reports.length ? [e.not_found_team, e.not_found_team_suggest] : [e.not_found, e.not_found_suggest];
  return { text: names.length ? fill(suggest, { name: escape(name), names: boldNames(c, names) }) : fill(none, { name: escape(name) }) };
}

/** A list of open deals; the notification text is its title, or the empty message. */
function listReply({ c, f }: Reader, deals: DealSummary[], title: string, empty: string): Reply {
  return { text: deals.length ? title.replace(/\*/g, '') : empty, blocks: dealListBlocks(c, f, deals, title, empty) };
}

async function teamReply(deps: AppDeps, { c }: Reader, owner: Owner, cmd: Extract<DealCommand, { kind: 'team' }>): Promise<Reply> {
  const t = c.messages.team;
  const now = deps.now();
  switch (cmd.action) {
    case 'list': {
      const reports = await reportsOf(deps.db, owner.teamId, owner.userId);
      const managers = await managersOf(deps.db, owner.teamId, owner.userId);
      const team = reports.length
        ? `${fill(t.list_title, { count: reports.length })}\n${reports.map((r) => `• <@${r}>`).join('\n')}`
        : (await hasPausedTeam(deps.db, owner.teamId, owner.userId)) ? t.paused : t.empty;
      // Everyone can see who reads their deals, so that nobody is on a team without knowing it. A report with no
      // reports of their own is not told how to add some: their manager is the one who adds.
      const readers = fill(t.managers, { users: mention(c, managers) });
      return { text: managers.length ? (reports.length ? `${team}\n\n${readers}` : readers) : team };
    }
    case 'add': {
      if (cmd.users.length === 0) return { text: t.no_mentions };
      if (cmd.users.includes(owner.userId)) return { text: t.self };
      // A team's manager reads their reports' deals: not for a guest, whom the workspace let into some channels only.
      const [guest] = await Promise.all([
        isGuest(deps.db, deps.fastClient, owner.teamId, owner.userId, now, ROLE_WAIT_MS),
        recheckDepartures(deps.db, deps.fastClient, owner.teamId, cmd.users, now, ROLE_WAIT_MS),
      ]);
      if (guest !== false) return { text: guest ? t.guest : t.guest_unknown };
      const { added, refused, departed } = await addReports(deps.db, owner.teamId, owner.userId, cmd.users, now);
      const already = cmd.users.filter((u) => !added.includes(u) && !refused.includes(u) && !departed.includes(u));
      const lines = [
        added.length ? fill(t.added, { users: mention(c, added) }) : '',
        already.length ? fill(t.already, { users: mention(c, already) }) : '',
        refused.length ? fill(t.left_before, { users: mention(c, refused) }) : '',
        departed.length ? fill(t.deactivated, { users: mention(c, departed) }) : '',
      ];
      return {
        text: lines.filter(Boolean).join('\n'),
        after: async (tell) => {
          const notTold: string[] = [];
          for (const report of added) {
            const reader = await deps.readerFor(owner.teamId, report);
            await deps.client.chat.postMessage({ channel: report, text: fill(reader.c.messages.team.told_added, { manager: owner.userId }) }).catch(() => notTold.push(report));
          }
          if (notTold.length) await tell(fill(t.not_told, { users: mention(c, notTold) }));
        },
      };
    }
    case 'remove': {
      if (cmd.users.length === 0) return { text: t.no_mentions };
      const removed = await removeReports(deps.db, owner.teamId, owner.userId, cmd.users);
      const notOn = cmd.users.filter((u) => !removed.includes(u));
      const lines = [removed.length ? fill(t.removed, { users: mention(c, removed) }) : '', notOn.length ? fill(t.not_on_team, { users: mention(c, notOn) }) : ''];
      return { text: lines.filter(Boolean).join('\n') };
    }
    case 'leave': {
      // Words that named nobody Slack knows would otherwise read as "leave every team".
      if (cmd.named && cmd.users.length === 0) return { text: t.no_mentions };
      // Remembered, so that the manager cannot simply add them back: only they can rejoin.
      const left = await deps.db.transaction().execute(async (trx) => {
        const managers = await leaveTeams(trx, owner.teamId, owner.userId, cmd.users);
        await recordLeaves(trx, owner.teamId, owner.userId, managers, now);
        return managers;
      });
      const notTheirs = cmd.users.filter((u) => !left.includes(u));
      if (!left.length && !notTheirs.length) return { text: t.not_in_team };
      const still = await managersOf(deps.db, owner.teamId, owner.userId);
      const lines = [left.length ? fill(t.left, { users: mention(c, left) }) : '', notTheirs.length ? fill(t.not_their_report, { users: mention(c, notTheirs) }) : '', still.length ? fill(t.still_read, { users: mention(c, still) }) : ''];
      // The manager learns why someone is missing from the next digest.
      return { text: lines.filter(Boolean).join('\n'), after: () => tellManagers(deps, owner, left, 'left', (c) => fill(c.messages.team.told_left, { report: owner.userId })) };
    }
    case 'join': {
      if (cmd.users.length === 0) return { text: t.no_mentions };
      const back = await joinTeams(deps.db, owner.teamId, owner.userId, cmd.users, now);
      const notLeft = cmd.users.filter((u) => !back.includes(u));
      const lines = [back.length ? fill(t.joined, { users: mention(c, back) }) : '', notLeft.length ? fill(t.not_left, { users: mention(c, notLeft) }) : ''];
      return { text: lines.filter(Boolean).join('\n'), after: () => tellManagers(deps, owner, back, 'joined', (c) => fill(c.messages.team.told_joined, { report: owner.userId })) };
    }
    case 'usage':
      return { text: t.usage };
  }
}

/**
 * Tells managers, each in their language, that a report left or rejoined their team: at once, and a DM Slack refuses
 * goes to the outbox, which tries again and shows in /deal admin failures.
 */
async function tellManagers(deps: AppDeps, owner: Owner, managers: string[], what: string, text: (c: LocaleContent) => string): Promise<void> {
  const now = deps.now();
  const notices = await noticesTo(deps.db, deps.content, owner.teamId, managers, { key: (manager) => `team-${what}:${owner.teamId}:${owner.userId}:${manager}:${now.toISOString()}`, text });
  const refused: PlannedMessage[] = [];
  for (const notice of notices) await deps.client.chat.postMessage({ channel: notice.channel, ...notice.payload }).catch(() => refused.push(notice));
  await enqueue(deps.db, refused, now);
}

/** Answers the read, close, team and admin subcommands; the message goes back in the acknowledgement itself. */
async function answer(deps: AppDeps, reader: Reader, owner: Owner, cmd: Answerable): Promise<Reply> {
  const { c, f } = reader;
  switch (cmd.kind) {
    case 'help':
      return { text: c.messages.help.body, blocks: helpBlocks(c) };
    case 'unknown': {
      // Said first, so that a typo (`/deal asess`) is not read as the bot ignoring the command.
      const unknown = fill(c.messages.help.unknown, { word: prefix(escape(cmd.word), 40) });
      return { text: `${unknown}\n${c.messages.help.body}`, blocks: [section(unknown), ...helpBlocks(c)] };
    }
    case 'list': {
      // A name that is not a mention would otherwise quietly show the caller's own deals.
      if (cmd.named && !cmd.user) return { text: c.messages.errors.usage_list };
      if (cmd.user && cmd.user !== owner.userId) {
        if (!(await isManagerOf(deps.db, owner.teamId, owner.userId, cmd.user))) return { text: fill(c.messages.team.not_manager, { user: cmd.user }) };
        const deals = await listOpenDeals(deps.db, { teamId: owner.teamId, userId: cmd.user });
        return listReply(reader, deals, fill(c.messages.team.report_list_title, { user: cmd.user, count: deals.length }), fill(c.messages.team.report_list_empty, { user: cmd.user }));
      }
      const deals = await listOpenDeals(deps.db, owner);
      return listReply(reader, deals, fill(c.messages.list.title, { count: deals.length }), c.messages.list.empty);
    }
    case 'show': {
      if (!cmd.name) return { text: c.messages.errors.usage_show };
      const reports = await reportsOf(deps.db, owner.teamId, owner.userId);
      // The caller's deal of that name, else (read-only) one of their reports'.
      const deal = await findDealByName(deps.db, owner, cmd.name, reports);
      if (!deal) return notFound(deps, reader, owner, cmd.name, reports);
      // One block and a line of text are kept for saying whose deal it is.
      const limits = { blocks: HISTORY_IN.message.blocks - 1, text: HISTORY_IN.message.text - 200 };
      const blocks = historyBlocks(c, f, deal, await dealHistory(deps.db, deal.id), limits);
      if (deal.owner_id !== owner.userId) blocks.splice(1, 0, context(fill(c.messages.team.read_only, { user: deal.owner_id })));
      return { text: escape(deal.name), blocks };
    }
    case 'close': {
      const [first] = cmd.readings;
      if (!first) return { text: c.messages.errors.usage_close };
      // A status word may be part of the name: the longest name that is one of the caller's deals is the one meant.
      let found: { deal: Deal; reading: CloseReading } | undefined;
      for (const reading of [...cmd.readings].reverse()) {
        const deal = await findDealByName(deps.db, owner, reading.name);
        if (deal) {
          found = { deal, reading };
          break;
        }
      }
      if (!found) return notFound(deps, reader, owner, first.name);
      const { deal, reading } = found;
      if (deal.status !== 'open') return { text: fill(c.messages.close.already_closed, { deal: escape(deal.name) }) };
      if (reading.reason && reading.reason.length > MAX_REASON) return { text: fill(c.messages.close.reason_too_long, { max: MAX_REASON }) };
      await closeDeal(deps.db, deal.id, reading.status, reading.reason, deps.now());
      return { text: fill(c.messages.close.done, { deal: escape(deal.name), status: c.messages.show[`status_${reading.status}`] }) };
    }
    case 'team':
      return teamReply(deps, reader, owner, cmd);
    case 'admin_failures': {
      const a = c.messages.admin;
      if (!(await workspaceRole(deps.db, deps.fastClient, owner.teamId, owner.userId, deps.now(), ROLE_WAIT_MS))) return { text: a.refused };
      const rows = await recentFailures(deps.db, owner.teamId);
      if (rows.length === 0) return { text: a.no_failures };
      // A DM is addressed to its person (U…, or W… on Enterprise Grid), anything else to a channel.
      const to = (channel: string) => (/^[UW]/.test(channel) ? `<@${channel}>` : `<#${channel}>`);
      const lines = rows.map((r) => fill(a.failure_line, { when: formatDate(f, r.created_at), kind: c.messages.outbox_kinds[r.kind], channel: to(r.channel), reason: r.last_error ?? '' }));
      return { text: fill(a.failures_title, { count: rows.length }), blocks: [section(`${fill(a.failures_title, { count: rows.length })}\n${lines.join('\n')}`)] };
    }
  }
}

export function register(app: App, deps: AppDeps): void {
  app.command('/deal', async ({ command, ack, respond, logger }) => {
    const owner: Owner = { teamId: command.team_id, userId: command.user_id };
    const cmd = parseDealCommand(command.text ?? '');
    const tell = (text: string) => respond({ response_type: 'ephemeral', text });
    if (cmd.kind === 'assess' || cmd.kind === 'settings') {
      // Acknowledge first: the modal must open inside the trigger's 3 seconds.
      await ack();
      const open = cmd.kind === 'assess' ? openAssessment(deps, { triggerId: command.trigger_id, owner, typedName: cmd.name }, tell) : openSettings(deps, command.trigger_id, owner, tell);
      await open.catch(async (err) => {
        logger.error(`/deal ${cmd.kind} failed`, err);
        await tell((await deps.readerFor(owner.teamId, owner.userId)).c.messages.errors.generic).catch(() => undefined);
      });
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
    if (reply.after) deps.afterAck.run('follow-up messages', () => reply.after!(tell));
  });
}
