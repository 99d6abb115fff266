import { replyText } from './reply-text';

describe('replyText: what the customer wrote, without the quoted history and the signature', () => {
  it('English: drops "On … wrote:" and the quoted lines', () => {
    const body = [
      'Here is the log you asked for.',
      'The error started at 9:00.',
      '',
      'On Mon, 2 Mar 2026 at 10:12, Support desk <case+x.y@reply.desk.example> wrote:',
      '> Could you send the SAML trace?',
      '> Thanks',
    ].join('\r\n');
    expect(replyText(body)).toBe('Here is the log you asked for.\nThe error started at 9:00.');
  });

  it('English: a header split over two lines by the mail client', () => {
    const body =
      'Done.\n\nOn Mon, 2 Mar 2026 at 10:12, Support desk <case+x.y@reply.desk.example>\nwrote:\n> Could you?\n';
    expect(replyText(body)).toBe('Done.');
  });

  it('French: drops "Le … a écrit :" and the quoted lines', () => {
    const body = [
      'Bonjour,',
      '',
      'Voici le journal demandé.',
      '',
      'Le lun. 2 mars 2026 à 10:12, Support <case+x.y@reply.desk.example> a écrit :',
      '> Pouvez-vous nous envoyer la trace SAML ?',
    ].join('\n');
    expect(replyText(body)).toBe('Bonjour,\n\nVoici le journal demandé.');
  });

  it('Outlook, in English and in French: drops the "From:/Sent:" and "De :/Envoyé :" block and all below it', () => {
    const english = [
      'The trace is attached.',
      '',
      '________________________________',
      'From: Support desk <case+x.y@reply.desk.example>',
      'Sent: Monday, March 2, 2026 10:12 AM',
      'To: Ana <ana@acme.example>',
      'Subject: RE: SSO login fails',
      '',
      'Could you send the SAML trace?',
    ].join('\n');
    const french = [
      'La trace est jointe.',
      '',
      'De : Support desk <case+x.y@reply.desk.example>',
      'Envoyé : lundi 2 mars 2026 10:12',
      'À : Ana <ana@acme.example>',
      'Objet : RE: la connexion SSO échoue',
      '',
      'Pouvez-vous envoyer la trace SAML ?',
    ].join('\n');
    expect(replyText(english)).toBe('The trace is attached.');
    expect(replyText(french)).toBe('La trace est jointe.');
  });

  it('drops a "-- " signature and a "Sent from my" line', () => {
    expect(replyText('It works again, thanks.\n\n-- \nAna Lima\nIT, ACME\n+33 1 23 45 67 89\n')).toBe(
      'It works again, thanks.',
    );
    expect(replyText('Still failing.\n\nSent from my iPhone')).toBe('Still failing.');
  });

  it('is empty when the e-mail is only a quote, with or without its header', () => {
    expect(replyText('> Could you send the SAML trace?\n> Thanks\n')).toBe('');
    expect(replyText('\n\nOn Mon, 2 Mar 2026 at 10:12, Support <s@desk.example> wrote:\n> Could you?\n')).toBe('');
    expect(replyText('Le 2 mars 2026 à 10:12, Support <s@desk.example> a écrit :\n> Pouvez-vous ?')).toBe('');
    expect(replyText('   \n\n')).toBe('');
  });

  it('keeps the text as written otherwise (blank lines inside, non-breaking spaces made plain)', () => {
    expect(replyText('Line one\u00a0here.\n\n\nLine two.  \n')).toBe('Line one here.\n\n\nLine two.');
  });
});
