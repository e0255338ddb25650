import { describe, expect, it } from 'vitest';
import { notifyPayload } from './notify.ts';

describe('notifyPayload', () => {
  it('keeps an inbox message for an account', () => {
    expect(notifyPayload({ recipientAccountId: 'acc-1', channel: 'inbox', subject: '办件已受理', body: '您的申请已受理。' })).toEqual({
      recipientAccountId: 'acc-1',
      subject: '办件已受理',
      body: '您的申请已受理。',
      to: null,
    });
  });

  it('refuses an inbox message without a recipient', () => {
    expect(() => notifyPayload({ recipientAccountId: null, channel: 'inbox', subject: 's', body: 'b' })).toThrow(/recipientAccountId/);
  });

  it('needs an address for email and a number for SMS', () => {
    expect(() => notifyPayload({ recipientAccountId: null, channel: 'email', subject: 's', body: 'b' })).toThrow(/email/);
    expect(() => notifyPayload({ recipientAccountId: null, channel: 'email', subject: 's', body: 'b', to: 'a@b.cn\r\nBcc: x@y.cn' })).toThrow(/email/);
    expect(() => notifyPayload({ recipientAccountId: null, channel: 'sms', subject: 's', body: 'b', to: 'call me' })).toThrow(/sms/);
    expect(notifyPayload({ recipientAccountId: null, channel: 'sms', subject: 's', body: 'b', to: '138 0013-8000' }).to).toBe('13800138000');
  });

  it('flattens line breaks in the subject (no header injection)', () => {
    const p = notifyPayload({ recipientAccountId: null, channel: 'email', subject: '通知\r\nBcc: victim@example.com', body: 'b', to: 'a@example.com' });
    expect(p.subject).toBe('通知 Bcc: victim@example.com');
  });

  it('refuses an empty or oversized message', () => {
    expect(() => notifyPayload({ recipientAccountId: 'a', channel: 'inbox', subject: ' ', body: 'b' })).toThrow(/subject/);
    expect(() => notifyPayload({ recipientAccountId: 'a', channel: 'inbox', subject: 's', body: 'x'.repeat(20_001) })).toThrow(/body/);
  });
});
