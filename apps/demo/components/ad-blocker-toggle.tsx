'use client';

import { ADBLOCK_COOKIE } from '@/lib/ad-blocker';

/** The visible switch. Reloads so the pixel scripts are requested again, now (un)blocked. */
export function AdBlockerToggle({ initiallyOn }: { initiallyOn: boolean }) {
  return (
    <label className="adblock-toggle">
      <input
        type="checkbox"
        data-testid="adblock-toggle"
        defaultChecked={initiallyOn}
        onChange={(event) => {
          const on = event.currentTarget.checked;
          document.cookie = `${ADBLOCK_COOKIE}=${on ? '1' : '0'}; path=/; SameSite=Lax`;
          window.location.reload();
        }}
      />
      Simulate ad blocker
    </label>
  );
}
