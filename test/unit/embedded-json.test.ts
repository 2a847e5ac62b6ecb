import { embeddedJson } from '../../server/http/views.js';

/** JSON inside a page's <script type="application/json"> can neither end the element nor open a comment. */
test('embedded JSON escapes what could end or bend a script element, and parses back to the same value', () => {
  const hostile = { name: '</script><script>alert(1)</script>', comment: '<!-- -->', amp: 'a & b > c', lines: 'x\u2028y\u2029z', nested: ['</SCRIPT >'] };
  const text = embeddedJson(hostile);
  expect(text).not.toMatch(/[<>&\u2028\u2029]/);
  expect(JSON.parse(text)).toEqual(hostile);
  expect(embeddedJson(undefined)).toBe('null');
});
