import { ignoreSelf, type AllMiddlewareArgs, type App, type BlockAction, type ButtonAction, type Middleware, type SlackAction, type SlackActionMiddlewareArgs, type SlackEventMiddlewareArgs, type SlackViewMiddlewareArgs } from '@slack/bolt';
import { dropRetriedEvents } from './retries.js';

type ViewListener = Middleware<SlackViewMiddlewareArgs>;
type ActionListener = Middleware<SlackActionMiddlewareArgs<SlackAction>>;
type EventListener = Middleware<SlackEventMiddlewareArgs>;

/**
 * Collects view, action and event listeners by id or type and mounts one Bolt listener per surface that dispatches
 * to them. Bolt runs every registered listener's matchers, and every global middleware, on every request; one
 * listener per surface keeps that cost flat as features are added, and the filters that only concern events (the
 * bot's own, Slack's redeliveries) run on events only.
 */
export class ListenerRouter {
  private readonly views = new Map<string, ViewListener>();
  private readonly actions = new Map<string, ActionListener>();
  private readonly events = new Map<string, EventListener>();

  view(callbackId: string, listener: ViewListener): void {
    this.views.set(callbackId, listener);
  }

  action<A extends SlackAction = BlockAction<ButtonAction>>(actionId: string, listener: Middleware<SlackActionMiddlewareArgs<A>>): void {
    this.actions.set(actionId, listener as unknown as ActionListener);
  }

  event<T extends string>(type: T, listener: Middleware<SlackEventMiddlewareArgs<T>>): void {
    this.events.set(type, listener as unknown as EventListener);
  }

  mount(app: App): void {
    app.view(/.*/, async (args) => {
      const listener = this.views.get(args.view.callback_id);
      // A view we do not know (an old modal after an upgrade) is closed rather than left spinning.
      if (!listener) return void (await args.ack());
      await listener(args as SlackViewMiddlewareArgs & AllMiddlewareArgs);
    });
    app.action(/.*/, async (args) => {
      const actionId = (args.action as { action_id?: string }).action_id ?? '';
      const listener = this.actions.get(actionId);
      if (!listener) return void (await args.ack());
      await listener(args as SlackActionMiddlewareArgs<SlackAction> & AllMiddlewareArgs);
    });
    // The App is built with ignoreSelf off: Bolt's filter of the bot's own events runs here, on events only.
    app.event(/.*/, ignoreSelf as EventListener, dropRetriedEvents() as EventListener, async (args) => {
      await this.events.get(args.event.type)?.(args);
    });
  }
}
