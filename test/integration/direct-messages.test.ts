import { describe, expect, it } from 'vitest';
import { handleEvent, localApp, textOf } from '../support/local.js';

describe('messages typed in the bot’s DM', () => {
  it('answers a person’s message with the usage, once per event, and ignores edits and bots', async () => {
    const app = await localApp();
    const typed = { type: 'message', channel_type: 'im', channel: 'D1', user: 'U1', text: 'hi, how do I use you?', ts: '1.1' };
    await app.slack.event(typed, { eventId: 'Ev1' });
    const answer = await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'D1');
    expect(answer.args.text).toContain('/deal');
    expect(textOf(answer.args.blocks)).toContain('/deal assess');

    // Slack's retry of the same event, an edit, our own message (also when it comes without its bot_id, which only
    // Bolt's filter of the bot's own events catches) and another bot's: none is answered. Each is in a DM of its
    // own, so that an answer to any of them shows, and handled before the next is sent.
    await app.slack.event(typed, { eventId: 'Ev1', retryNum: 1 });
    await handleEvent(app, { ...typed, channel: 'D3', subtype: 'message_changed', ts: '1.2' });
    await handleEvent(app, { ...typed, channel: 'D4', user: 'UBOT', bot_id: 'BBOT', ts: '1.3' });
    await handleEvent(app, { ...typed, channel: 'D5', user: 'UBOT', ts: '1.35' });
    await handleEvent(app, { ...typed, channel: 'D6', user: 'U9', bot_id: 'B9', ts: '1.4' });
    // A later message is answered again.
    await handleEvent(app, { ...typed, channel: 'D9', ts: '1.5' });
    await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'D9');
    expect(app.fake.callsTo('chat.postMessage').map((c) => c.args.channel)).toEqual(['D1', 'D9']);
  });

  it('answers in the person’s own language', async () => {
    const app = await localApp();
    app.fake.users.set('U2', { id: 'U2', locale: 'vi-VN' });
    await app.slack.event({ type: 'message', channel_type: 'im', channel: 'D2', user: 'U2', text: 'xin chào', ts: '2.1' });
    const answer = await app.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'D2');
    expect(answer.args.text).toContain('Mình chỉ làm theo các lệnh');
  });
});
