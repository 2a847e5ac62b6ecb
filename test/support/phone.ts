import type { Page } from 'playwright-core';

/**
 * Answers the questions on screen the way a person taps on a phone: the 4th choice (or the one before the
 * last), `number` for numbers, a sentence for text. Questions in `skip` are left unanswered.
 */
export async function answerShown(page: Page, skip: string[] = [], number = '10') {
  for (const question of await page.locator('fieldset.question:visible').all()) {
    const code = (await question.getAttribute('data-code'))!;
    const type = (await question.getAttribute('data-type'))!;
    if (skip.includes(code)) continue;
    if (type === 'number') await question.locator('input[type=text]').fill(number);
    else if (type === 'text') await question.locator('textarea').fill('Cán bộ hướng dẫn tận tình.');
    else {
      const choices = question.locator('label.choice');
      const choice = choices.nth(Math.min(3, (await choices.count()) - 2));
      if (!(await choice.locator('input').isChecked())) await choice.tap(); // a second tap would untick a box
    }
  }
}

/** Answers every section, one screen at a time, pressing Continue until the review; returns the screens passed. */
export async function answerEverySection(page: Page, number = '10'): Promise<number> {
  const next = page.getByRole('button', { name: 'Tiếp tục' });
  let screens = 0;
  while (await next.isVisible()) {
    await answerShown(page, [], number);
    await next.tap();
    screens++;
  }
  return screens;
}
