import { afterEach, describe, expect, it, vi } from 'vitest';
import { linkedinInsight } from './linkedin';

const page = window as any;

afterEach(() => {
  delete page.lintrk;
  delete page._linkedin_partner_id;
  delete page._linkedin_data_partner_ids;
  document.head.innerHTML = '';
});

describe('linkedinInsight', () => {
  it('sends mapped events as a conversion with the event ID', () => {
    page.lintrk = vi.fn();
    const tag = linkedinInsight({ partnerId: '42', conversions: { Purchase: 777 } });
    expect(tag.track({ id: 'evt-1', name: 'Purchase', data: {} })).toBe('fired');
    expect(page.lintrk.mock.calls).toEqual([['track', { conversion_id: 777, event_id: 'evt-1' }]]);
  });

  it('reports nothing for an event without a conversion rule', () => {
    page.lintrk = vi.fn();
    const tag = linkedinInsight({ partnerId: '42', conversions: { Purchase: 777 } });
    expect(tag.track({ id: 'evt-1', name: 'PageView', data: {} })).toBeUndefined();
    expect(page.lintrk).not.toHaveBeenCalled();
  });

  it('reports nothing for an event without a rule even when the tag is missing, blocked for one with a rule', () => {
    delete page.lintrk;
    const tag = linkedinInsight({ partnerId: '42', conversions: { Purchase: 777 } });
    expect(tag.track({ id: 'evt-1', name: 'AddToWishlist', data: {} })).toBeUndefined();
    expect(tag.track({ id: 'evt-2', name: 'Purchase', data: {} })).toBe('blocked');
  });

  it('with load, sets the partner ID globals and queues until insight.min.js loads', () => {
    const tag = linkedinInsight({ partnerId: '42', conversions: { Lead: 1 }, load: true });
    tag.setup({});
    tag.track({ id: 'evt-1', name: 'Lead', data: {} });
    expect(page._linkedin_partner_id).toBe('42');
    expect(page._linkedin_data_partner_ids).toEqual(['42']);
    expect(page.lintrk.q).toEqual([['track', { conversion_id: 1, event_id: 'evt-1' }]]);
    expect(document.head.querySelector('script')!.src).toBe(
      'https://snap.licdn.com/li.lms-analytics/insight.min.js',
    );
  });
});
