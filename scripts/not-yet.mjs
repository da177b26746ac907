// Placeholder for root scripts whose work has not landed yet: says what is missing and fails,
// so `pnpm demo` or `pnpm bench` never succeeds silently.
const what = process.argv[2] ?? 'this command';
console.error(
  `capi-kit: \`pnpm ${what}\` is not available yet in this checkout (see the open issues).`,
);
process.exit(1);
