// Filled in by the work on this entry point.
export {};
