/**
 * LinkedIn Insight Tag adapter (`lintrk`). LinkedIn counts conversions per conversion rule, not by
 * event name, so only events mapped to a rule are sent, as `{ conversion_id, event_id }`; the
 * `event_id` deduplicates with the Conversions API `eventId` (platforms.md §9.2).
 */
import type { PixelAdapter } from '../types';
import { definePixel, queueStub, type LoadOption } from './define-pixel';

/** Settings of `linkedinInsight()`. */
export interface LinkedinInsightOptions extends LoadOption {
  /** The Insight Tag partner ID. */
  partnerId: string;
  /** Conversion rule ID per canonical event name (`{ Purchase: 1234567 }`). */
  conversions: Record<string, number>;
}

/**
 * The LinkedIn Insight Tag.
 *
 * @example
 * linkedinInsight({ partnerId: '123456', conversions: { Purchase: 7654321 }, load: true });
 */
export function linkedinInsight(options: LinkedinInsightOptions): PixelAdapter {
  return definePixel({
    platform: 'linkedin',
    global: 'lintrk',
    script: options.load && 'https://snap.licdn.com/li.lms-analytics/insight.min.js',
    install(page) {
      // LinkedIn's snippet: the partner ID globals, and a queue until insight.min.js loads.
      page._linkedin_partner_id = options.partnerId;
      (page._linkedin_data_partner_ids ??= []).push(options.partnerId);
      queueStub(page, 'lintrk', 'q');
    },
    fire(lintrk, event) {
      const conversion = options.conversions[event.name];
      if (conversion === undefined) return null;
      lintrk('track', { conversion_id: conversion, event_id: event.id });
    },
  });
}
