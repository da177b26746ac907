// Express 4 is installed under the `express4` alias for the adapter's compatibility tests; its API
// surface used there (the app, json(), text(), listen) is typed like Express 5's.
declare module 'express4' {
  import express from 'express';
  export default express;
}
