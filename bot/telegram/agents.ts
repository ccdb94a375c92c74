/**
 * Who is an agent: a member of the support group — not restricted, not left
 * or kicked — asked with getChatMember and cached briefly (membership changes
 * are rare, commands are frequent); a chat_member update forgets the entry at
 * once (bot/roles.ts roleGuard), so one who left is refused on their next press.
 */
import { GrammyError, type Api } from 'grammy';

const MEMBER_STATUSES = new Set(['creator', 'administrator', 'member']);

export class AgentDirectory {
  private cache = new Map<number, { isAgent: boolean; until: number }>();

  constructor(
    private readonly api: Api,
    private readonly supportChatId: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async isAgent(userId: number): Promise<boolean> {
    const hit = this.cache.get(userId);
    if (hit && hit.until > this.now()) return hit.isAgent;
    let isAgent = false;
    try {
      const m = await this.api.getChatMember(this.supportChatId, userId);
      // A restricted member is muted in the group by its admins: no agent of the desk either.
      isAgent = MEMBER_STATUSES.has(m.status);
    } catch (e) {
      // "user not found" (400) means not a member; anything else (network, 5xx after retries) is not an
      // answer — rethrow rather than shut a real agent out for the whole cache period.
      if (!(e instanceof GrammyError && e.error_code === 400)) throw e;
    }
    this.cache.set(userId, { isAgent, until: this.now() + this.ttlMs });
    return isAgent;
  }

  /** Forget a user (e.g. after a chat_member update). */
  invalidate(userId: number): void {
    this.cache.delete(userId);
  }
}
