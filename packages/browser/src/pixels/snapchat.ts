// Filled in by the browser SDK work.
export {};
