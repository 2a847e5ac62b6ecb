import { closePrinter } from '../../server/reports/browser.js';

// A file that printed a PDF leaves the app's printing browser up for its idle time; the worker closes it at
// the file's end rather than wait (or be force-exited by Jest).
afterAll(closePrinter);
