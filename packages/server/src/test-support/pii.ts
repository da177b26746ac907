/**
 * Personal data and secrets used by the server tests. The log-capture setup checks that none of
 * them ever appears in anything logged during the suite.
 */
export const TEST_EMAIL = 'John_Smith@gmail.com';
export const TEST_PHONE = '(650) 555-1212';
export const TEST_PHONE_DIGITS = '6505551212';
export const TEST_ACCESS_TOKEN = 'EAABtestTOKEN0123456789secret';
export const TEST_PIXEL_ID = '1234567890';
export const TEST_IP = '203.0.113.7';
export const TEST_USER_AGENT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15';

/** Strings that must never appear in logs. */
export const FORBIDDEN_IN_LOGS = [
  TEST_EMAIL,
  TEST_EMAIL.toLowerCase(),
  TEST_PHONE,
  TEST_PHONE_DIGITS,
  TEST_ACCESS_TOKEN,
];
