/**
 * Headless Chromium as this project runs it: Debian's /usr/bin/chromium (no browser download), as root
 * without its sandbox, and without the background connections this machine's closed network refuses.
 */
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
