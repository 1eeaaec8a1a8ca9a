import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, Middleware, SlackAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';

type ViewListener = Middleware<SlackViewMiddlewareArgs>;
type ActionListener = Middleware<SlackActionMiddlewareArgs<SlackAction>>;

/**
 * Collects view and action listeners by id and mounts one Bolt listener per surface that dispatches to them.
 * Bolt runs every registered listener's matchers on every request; one per surface keeps that cost flat as
 * features are added.
 */
export class ListenerRouter {
  private readonly views = new Map<string, ViewListener>();
  private readonly actions = new Map<string, ActionListener>();

  view(callbackId: string, listener: ViewListener): void {
    this.views.set(callbackId, listener);
  }

  action<A extends SlackAction = BlockAction<ButtonAction>>(actionId: string, listener: Middleware<SlackActionMiddlewareArgs<A>>): void {
    this.actions.set(actionId, listener as unknown as ActionListener);
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
  }
}
