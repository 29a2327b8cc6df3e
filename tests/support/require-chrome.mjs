// Fails `npm test` with one clear line when there is no Chrome to run the GPU tests in.
import { findChrome, NO_CHROME_MESSAGE } from '../../bench/chrome.mjs';

if (!findChrome()) {
  console.error(NO_CHROME_MESSAGE);
  process.exit(1);
}
