// Companion mode: whether this node can read the chat server's configuration and license, which every other check
// then judges. The admin token is never part of the evidence.
import { AppError } from '../../errors/app-error.ts';
import { type Check, fail, pass } from '../check.ts';

export const chatServerCheck: Check = {
  id: 'chat_server',
  title: "The chat server's configuration and license can be read",
  run({ chatServer, now }) {
    if (!chatServer) return pass('standalone: this node is not the companion of a chat server; nothing to check');
    const { url, view } = chatServer;
    if (view instanceof AppError) return fail(`${url}: ${view.message}`, view.id);
    const age = Math.max(0, Math.round((now - view.readAt) / 1000));
    return pass(`${url}: configuration and license read at ${new Date(view.readAt).toISOString()} (${age} s ago)`);
  },
};
