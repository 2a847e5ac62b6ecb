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
    expect(translate('vi', 'campaigns.moved', { state: 'state.fieldwork' })).toBe('Đã chuyển sang giai đoạn «Thu thập phiếu».');
    expect(translate('en', 'campaigns.moved', { state: 'state.fieldwork' })).toBe('Moved to the “Fieldwork” stage.');
  });
});
