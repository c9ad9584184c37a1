// GET /plugins/mamgate/api/v1/events: server-sent events for a mobile session.
import { type Response, Router } from 'express';
import type { Change } from '../../changes/feed.ts';
import type { GateService } from '../../enrollment/gate-service.ts';
import type { ServiceContext } from '../../context.ts';
import { BroadcastEvents, changesSince, eventForChange, type SessionEvent } from '../../sessions/session-events.ts';
import { gateCheckOf, requireSession } from '../session-auth.ts';

function write(res: Response, event: SessionEvent): void {
  res.write(`id: ${event.id}\nevent: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
}

/** `stopping` aborts when the service shuts down: open streams end so that shutdown need not wait for them. */
export function eventRoutes(ctx: ServiceContext, gate: GateService, heartbeatMs: number, stopping: AbortSignal): Router {
  const router = Router();
  const broadcasts = new BroadcastEvents(ctx.db);
  router.get('/events', requireSession(gate), async (req, res) => {
    const sessionId = gateCheckOf(res).session!.id;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(res.locals.requestId),
    });
    res.write('retry: 3000\n\n');
    let chain = Promise.resolve();
    let open = true;
    // Replayed and live changes overlap; a late-committed change may carry a lower number than one already sent.
    const delivered = new Set<number>();
    const deliver = (change: Change) => {
      if (delivered.has(change.seq)) return;
      delivered.add(change.seq);
      if (delivered.size > 4096) delivered.delete(delivered.values().next().value!);
      chain = chain
        .then(async () => {
          if (!open) return;
          const event = await eventForChange(ctx.db, broadcasts, change, sessionId);
          if (!event || !open) return;
          write(res, event);
          if (event.event === 'session_revoked') res.end();
        })
        .catch((error: Error) => ctx.log.warn({ err: error.message, session_id: sessionId }, 'event delivery failed'));
    };
    // Live changes wait while a reconnecting client's missed changes are replayed, so order is kept.
    let held: Change[] | undefined = [];
    const unsubscribe = ctx.changes.subscribe((change) => (held ? held.push(change) : deliver(change)));
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
    const endStream = () => res.end();
    stopping.addEventListener('abort', endStream, { once: true });
    res.on('close', () => {
      open = false;
      unsubscribe();
      clearInterval(heartbeat);
      stopping.removeEventListener('abort', endStream);
    });
    const lastEventId = Number(req.get('last-event-id'));
    if (Number.isInteger(lastEventId) && lastEventId >= 0) {
      try {
        for (const change of await changesSince(ctx.db, lastEventId)) deliver(change);
      } catch (error) {
        ctx.log.warn({ err: (error as Error).message }, 'replaying missed events failed; the client will reconnect');
        res.end();
        return;
      }
    }
    const waiting = held;
    held = undefined;
    for (const change of waiting) deliver(change);
  });
  return router;
}
