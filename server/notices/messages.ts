/**
 * The e-mails that tell members of staff what the survey year needs from them — Vietnamese first, English
 * below, a link to the page where they act. Pure: no I/O.
 */
export type NoticeEvent = 'keysNeeded' | 'approvalNeeded' | 'resultsReady';

export interface Notice {
  subject: string;
  text: string;
  html: string;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const WORDS: Record<NoticeEvent, { subject: string; vi: string; en: string; path: (campaignId: string) => string }> = {
  keysNeeded: {
    subject: 'Cần tạo khóa cá nhân — {title}',
    vi: 'Bạn được chọn vào Hội đồng của đợt khảo sát “{title}”. Hãy đăng nhập và tạo khóa cá nhân (với cụm mật khẩu chỉ bạn biết) để đợt khảo sát chuyển sang thu thập phiếu.',
    en: 'You were chosen for the committee of “{title}”. Please sign in and create your personal keys (with a passphrase only you know) so that fieldwork can start.',
    path: () => '/committee/keys',
  },
  approvalNeeded: {
    subject: 'Cần sự đồng ý mở niêm phong — {title}',
    vi: 'Đợt khảo sát “{title}” đã kết thúc thu thập phiếu. Hội đồng cần đủ số thành viên đồng ý (bằng cụm mật khẩu) để mở niêm phong và tính điểm.',
    en: 'Fieldwork of “{title}” has ended. The committee needs enough members to approve (with their passphrases) to unseal and score.',
    path: (id) => `/campaigns/${id}/unseal`,
  },
  resultsReady: {
    subject: 'Kết quả đã được tính và niêm phong — {title}',
    vi: 'Kết quả của đợt khảo sát “{title}” đã được tính và niêm phong cho Hội đồng. Thành viên đọc bằng cụm mật khẩu; Chủ tịch ký công bố.',
    en: 'The results of “{title}” have been computed and sealed for the committee. Members read them with their passphrase; the chair signs their publication.',
    path: (id) => `/campaigns/${id}/results/sealed`,
  },
};

export function noticeFor(event: NoticeEvent, campaign: { id: string; title: string }, publicUrl: string, recipientName: string): Notice {
  const words = WORDS[event];
  const fill = (s: string) => s.replace(/\{title\}/g, campaign.title);
  const link = `${publicUrl}${words.path(campaign.id)}`;
  const vi = fill(words.vi);
  const en = fill(words.en);
  return {
    subject: fill(words.subject),
    text: `Kính gửi ${recipientName},\n\n${vi}\n${link}\n\n—\n${en}\n${link}\n\n(E-mail tự động của nền tảng khảo sát DDCI; không trả lời thư này.)\n`,
    html:
      `<p>Kính gửi ${escape(recipientName)},</p><p>${escape(vi)}</p><p><a href="${escape(link)}">${escape(link)}</a></p><hr>` +
      `<p lang="en">${escape(en)}</p><p class="muted">E-mail tự động của nền tảng khảo sát DDCI; không trả lời thư này.</p>`,
  };
}
