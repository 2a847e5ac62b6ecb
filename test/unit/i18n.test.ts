import { formatDate, formatDateTime } from '../../server/i18n/format.js';
import { en, vi } from '../../server/i18n/messages.js';
import { translate } from '../../server/i18n/index.js';

describe('messages', () => {
  test('English has every Vietnamese message, with the same placeholders', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
    for (const key of Object.keys(vi) as (keyof typeof vi)[]) {
      expect({ key, p: placeholders(en[key]) }).toEqual({ key, p: placeholders(vi[key]) });
    }
  });

  test('parameters that are message keys are translated', () => {
    expect(translate('vi', 'campaigns.moved', { state: 'state.fieldwork' })).toBe('Đã chuyển sang giai đoạn “Thu thập phiếu”.');
    expect(translate('en', 'campaigns.moved', { state: 'state.fieldwork' })).toBe('Moved to the “Fieldwork” stage.');
  });
});

test('dates and times the way each language writes them, in Vietnam time', () => {
  const at = new Date('2026-12-01T07:05:00Z'); // 14:05 in Hà Nội
  expect(formatDate(at, 'vi')).toBe('01/12/2026');
  expect(formatDateTime(at, 'vi')).toBe('01/12/2026 14:05');
  expect(formatDateTime(at, 'en')).toBe('01/12/2026 14:05');
  expect(formatDateTime(new Date('2026-12-31T18:30:00Z'), 'vi')).toBe('01/01/2027 01:30'); // the day turns in Vietnam first
});
