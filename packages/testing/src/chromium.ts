// Filled in by the browser end-to-end work: launches Debian's Chromium through playwright-core.
export {};
