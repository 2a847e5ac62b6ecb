/** Committee keys and unsealing. Vietnamese first. */
export const vi = {
  'keys.title': 'Khóa cá nhân của thành viên Hội đồng',
  'keys.intro':
    'Mỗi thành viên Hội đồng giữ một mảnh của khóa giải mã câu trả lời. Mảnh đó được mã hóa bằng khóa cá nhân của bạn, và khóa cá nhân được bảo vệ bằng cụm mật khẩu bạn đặt dưới đây (khác với mật khẩu đăng nhập).',
  'keys.noRecovery':
    'Không ai — kể cả quản trị viên — khôi phục được cụm mật khẩu này. Nếu quên, mảnh khóa của bạn mất vĩnh viễn; Hội đồng vẫn mở được niêm phong nếu đủ số thành viên khác.',
  'keys.passphrase': 'Cụm mật khẩu (ít nhất {min} ký tự)',
  'keys.confirm': 'Nhập lại cụm mật khẩu',
  'keys.create': 'Tạo khóa cá nhân',
  'keys.created': 'Đã tạo khóa cá nhân.',
  'keys.fingerprintIntro': 'Dấu vân tay khóa công khai của bạn — hãy đối chiếu với Thư ký Hội đồng qua một kênh khác (điện thoại, trực tiếp):',
  'keys.mismatch': 'Hai lần nhập cụm mật khẩu không khớp.',
  'keys.exist': 'Bạn đã có khóa cá nhân; không thể tạo lại.',
  'unseal.title': 'Mở niêm phong',
  'unseal.intro': 'Nhập cụm mật khẩu khóa cá nhân để đồng ý mở niêm phong. Mảnh khóa của bạn chỉ được giữ trong bộ nhớ máy chủ, không bao giờ được ghi ra đĩa.',
  'unseal.passphrase': 'Cụm mật khẩu khóa cá nhân',
  'unseal.approve': 'Đồng ý mở niêm phong',
  'unseal.approved': 'Đã ghi nhận sự đồng ý: {held}/{k} thành viên cần thiết.',
  'unseal.held': '{held} trong {k} thành viên cần thiết đã đồng ý; mỗi mảnh khóa chỉ được giữ trong bộ nhớ tối đa {minutes} phút.',
  'unseal.wrongPassphrase': 'Cụm mật khẩu không đúng.',
  'unseal.notMember': 'Bạn không giữ mảnh khóa của đợt khảo sát này.',
  'unseal.notClosed': 'Chỉ mở niêm phong được khi đợt khảo sát đã đóng.',
  'unseal.badShare': 'Mảnh khóa của bạn không mở được (bị hỏng hoặc không thuộc đợt khảo sát này). Sự việc đã được ghi vào nhật ký kiểm toán.',
} as const;

export const en: Record<keyof typeof vi, string> = {
  'keys.title': 'Committee member’s personal keys',
  'keys.intro':
    'Each committee member holds one share of the key that decrypts the answers. Your share is encrypted to your personal key, and your personal key is protected by the passphrase you choose below (not your login password).',
  'keys.noRecovery':
    'Nobody — administrators included — can recover this passphrase. If you forget it, your share is lost for good; the committee can still unseal if enough other members approve.',
  'keys.passphrase': 'Passphrase (at least {min} characters)',
  'keys.confirm': 'Passphrase again',
  'keys.create': 'Create my keys',
  'keys.created': 'Your personal keys were created.',
  'keys.fingerprintIntro': 'Your public key fingerprint — compare it with the committee secretary over another channel (phone, in person):',
  'keys.mismatch': 'The two passphrases differ.',
  'keys.exist': 'You already have personal keys; they cannot be created again.',
  'unseal.title': 'Unseal',
  'unseal.intro': 'Enter your personal-key passphrase to approve unsealing. Your share is held in the server’s memory only, never written to disk.',
  'unseal.passphrase': 'Personal-key passphrase',
  'unseal.approve': 'Approve unsealing',
  'unseal.approved': 'Approval recorded: {held}/{k} members needed.',
  'unseal.held': '{held} of the {k} members needed have approved; each share is held in memory for at most {minutes} minutes.',
  'unseal.wrongPassphrase': 'Wrong passphrase.',
  'unseal.notMember': 'You hold no key share of this campaign.',
  'unseal.notClosed': 'Unsealing is possible only once the campaign is closed.',
  'unseal.badShare': 'Your key share cannot be opened (corrupted, or from another campaign). This has been written to the audit log.',
};
