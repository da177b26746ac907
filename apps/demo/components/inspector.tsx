'use client';

/**
 * The live event inspector: reads the relay's ledger API every second and shows, per event, what
 * each pixel did in the browser, what each platform's Conversion API answered, and (against the
 * fakes) whether the platform paired the pixel copy with the server copy. Labels are plain words;
 * the request and response are one click away for those who want the technical detail.
 */
import type { LedgerEntry } from '@capi-kit/server';
import { useEffect, useState } from 'react';
import {
  PIXEL_LABELS,
  PLATFORM_LABELS,
  VERDICT_LABELS,
  computeTotals,
  describeState,
  destinationLabel,
  formatTime,
  isRecovered,
  readEntries,
  verdictFallback,
  type Verdicts,
} from '@/lib/inspector-model';

export function Inspector({ token, mode }: { token: string; mode: 'fake' | 'real' }) {
  const [entries, setEntries] = useState<LedgerEntry[]>([]);
  const [verdicts, setVerdicts] = useState<Verdicts>({});
  const [error, setError] = useState<string | undefined>();
  const [loaded, setLoaded] = useState(false);
  const [filter, setFilter] = useState<'all' | 'conversions' | 'purchases'>('all');

  useEffect(() => {
    let stopped = false;
    const query = `token=${encodeURIComponent(token)}`;
    async function poll() {
      try {
        const [ledger, dedup] = await Promise.all([
          fetch(`/ck/ledger?${query}`, { cache: 'no-store' }),
          mode === 'fake' ? fetch(`/ck/verdicts?${query}`, { cache: 'no-store' }) : undefined,
        ]);
        if (!ledger.ok) throw new Error(`The ledger endpoint answered ${ledger.status}.`);
        const nextEntries = readEntries(await ledger.json());
        const nextVerdicts = dedup?.ok
          ? ((await dedup.json()) as { verdicts: Verdicts }).verdicts
          : {};
        if (stopped) return;
        setEntries([...nextEntries].sort((a, b) => b.receivedAt - a.receivedAt));
        setVerdicts(nextVerdicts);
        setError(undefined);
        setLoaded(true);
      } catch (caught) {
        if (!stopped) setError((caught as Error).message);
      }
    }
    void poll();
    const timer = window.setInterval(() => void poll(), 1000);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [token, mode]);

  const totals = computeTotals(entries, verdicts);

  const shown = entries.filter((entry) =>
    filter === 'purchases'
      ? entry.eventName === 'Purchase'
      : filter === 'conversions'
        ? entry.eventName !== 'PageView'
        : true,
  );

  return (
    <>
      <h1>Event inspector</h1>
      <p className="muted">
        Every event the relay received, newest first, updated every second. For each one: what the
        ad pixels in the browser did, and what each platform&apos;s server API (Conversions API)
        answered. The pixel copy and the server copy share one event ID, so a platform that sees
        both counts the event once.
      </p>
      <div className="totals" data-testid="totals">
        <div className="card">
          <strong data-testid="total-events">{totals.events}</strong>events received
        </div>
        <div className="card">
          <strong data-testid="total-delivered">{totals.delivered}</strong>delivered to every
          platform that takes them
        </div>
        <div className="card">
          <strong data-testid="total-recovered">{totals.recovered}</strong>recovered by the server
          copy (pixel blocked)
        </div>
        <div className="card">
          <strong data-testid="total-rejected">{totals.rejected}</strong>rejected by a platform
        </div>
      </div>
      {error ? (
        <p role="alert" style={{ color: 'var(--bad)' }}>
          Could not read the ledger: {error}
        </p>
      ) : null}
      {loaded && entries.length === 0 ? (
        <p>No events yet. Open a product page in another tab and watch them arrive.</p>
      ) : null}
      <label style={{ display: 'flex', gap: 8, alignItems: 'center', marginBottom: 12 }}>
        Show
        <select
          data-testid="event-filter"
          value={filter}
          onChange={(event) => setFilter(event.currentTarget.value as typeof filter)}
        >
          <option value="all">every event</option>
          <option value="conversions">conversions (no page views)</option>
          <option value="purchases">purchases</option>
        </select>
      </label>
      {shown.map((entry) => (
        <EventRow
          key={entry.eventId}
          entry={entry}
          verdicts={verdicts[entry.eventId]}
          mode={mode}
        />
      ))}
    </>
  );
}

function EventRow({
  entry,
  verdicts,
  mode,
}: {
  entry: LedgerEntry;
  verdicts: Record<string, string> | undefined;
  mode: 'fake' | 'real';
}) {
  const recovered = isRecovered(entry, verdicts);
  const pixels = Object.entries(entry.pixels ?? {});
  return (
    <section
      className="event-row"
      data-testid="event-row"
      data-event-name={entry.eventName}
      data-event-id={entry.eventId}
    >
      <div className="event-head">
        <span className="muted">{formatTime(entry.receivedAt)}</span>
        <h3>{entry.eventName}</h3>
        <span className="pill">
          from the {entry.origin === 'browser' ? 'browser (beacon)' : 'server'}
        </span>
        {recovered ? (
          <span className="pill warn" data-testid="recovered">
            Recovered by the server copy
          </span>
        ) : null}
        <span className="muted" style={{ marginLeft: 'auto' }}>
          event ID <span className="mono">{entry.eventId}</span>
        </span>
      </div>
      <p style={{ margin: '8px 0' }}>
        Browser pixels:{' '}
        {pixels.length === 0 ? (
          <span className="muted">none reported</span>
        ) : (
          pixels.map(([platform, outcome]) => {
            const label = PIXEL_LABELS[outcome] ?? { text: outcome, tone: '' };
            return (
              <span
                key={platform}
                className={`pill ${label.tone}`}
                data-testid={`pixel-${platform}`}
                style={{ marginRight: 6 }}
              >
                {PLATFORM_LABELS[platform] ?? platform} pixel {label.text}
              </span>
            );
          })
        )}
      </p>
      <table>
        <thead>
          <tr>
            <th style={{ width: '18%' }}>Platform</th>
            <th style={{ width: '34%' }}>Server copy (Conversions API)</th>
            <th>Deduplication with the pixel copy</th>
          </tr>
        </thead>
        <tbody>
          {Object.values(entry.deliveries).map((delivery) => {
            const state = describeState(delivery);
            const verdict = verdicts?.[delivery.destinationId];
            const verdictLabel = verdict ? VERDICT_LABELS[verdict] : undefined;
            return (
              <tr
                key={delivery.destinationId}
                data-testid="delivery"
                data-destination={delivery.destinationId}
                data-platform={delivery.platform}
                data-state={delivery.state}
                data-verdict={verdict ?? ''}
              >
                <td>{destinationLabel(delivery)}</td>
                <td>
                  <span className={`pill ${state.tone}`}>{state.text}</span>
                  {delivery.exchange || delivery.history.length > 1 ? (
                    <details>
                      <summary>Technical detail</summary>
                      {delivery.exchange ? (
                        <>
                          <p className="mono">
                            POST {delivery.exchange.url}
                            {delivery.exchange.status ? ` → HTTP ${delivery.exchange.status}` : ''}
                          </p>
                          <p className="muted">Request sent (personal data hashed):</p>
                          <pre>{JSON.stringify(delivery.exchange.requestBody, null, 2)}</pre>
                          <p className="muted">The platform&apos;s answer:</p>
                          <pre>{JSON.stringify(delivery.exchange.responseBody, null, 2)}</pre>
                        </>
                      ) : null}
                      <p className="muted">History:</p>
                      <ol>
                        {delivery.history.map((step, index) => (
                          <li key={index}>
                            {formatTime(step.at)} {step.state}
                            {step.reason ? `: ${step.reason}` : ''}
                          </li>
                        ))}
                      </ol>
                    </details>
                  ) : null}
                </td>
                <td>
                  {verdictLabel ? (
                    <span className={`pill ${verdictLabel.tone}`}>{verdictLabel.text}</span>
                  ) : (
                    <span className="muted">{verdictFallback(delivery, verdict, mode)}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
